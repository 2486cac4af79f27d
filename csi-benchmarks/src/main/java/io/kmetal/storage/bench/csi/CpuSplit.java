package io.kmetal.storage.bench.csi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's control plane (etcd, the API servers, the controller managers) on this machine's
 * first CPU, and this JVM, with every thread and process it starts afterwards, on the others, as in
 * a cluster, where the controller pod runs on another machine than its API server and etcd. Without
 * the split, the driver's own CPU is taken from the API server's, and on a 2-core machine a row's
 * rate is the whole machine's CPU per create; split, the control plane's CPU bounds both the raw
 * row and the driver's, and their ratio shows what the driver adds to the control plane's work or
 * waits. {@link #restore()} gives every pinned process its CPUs back. With one CPU nothing is
 * split.
 */
final class CpuSplit {
  private final String allowed;
  private final List<Integer> cpus;
  private final List<Long> controlPlane;

  private CpuSplit(String allowed, List<Long> controlPlane) {
    this.allowed = allowed;
    this.cpus = cpuList(allowed);
    this.controlPlane = controlPlane;
  }

  /**
   * Splits the CPUs between the processes whose command line names {@code sandbox} and this JVM.
   */
  static CpuSplit apply(Path sandbox) throws IOException, InterruptedException {
    String allowed = allowedCpus();
    if (cpuList(allowed).size() < 2) return new CpuSplit(allowed, List.of());
    CpuSplit split = new CpuSplit(allowed, processesNaming(sandbox.toAbsolutePath() + "/"));
    try {
      for (long pid : split.controlPlane) pin(pid, split.controlPlaneCpu());
      pin(ProcessHandle.current().pid(), split.benchCpus());
    } catch (IOException | InterruptedException e) {
      split.restore();
      throw e;
    }
    return split;
  }

  /** One line for the table's heading. */
  String describe() {
    if (!split()) return "one CPU: the control plane and this benchmark share it";
    return String.format(
        "the sandbox's control plane (%d processes) on CPU %s, this benchmark and its drivers on"
            + " CPU %s, as on separate machines",
        controlPlane.size(), controlPlaneCpu(), benchCpus());
  }

  /** How many CPUs the control plane has: the bound of a row whose CPU goes to it. */
  int controlPlaneCpus() {
    return split() ? 1 : cpus.size();
  }

  /**
   * Every pinned process, this JVM included, on the CPUs it was allowed before; gone ones skipped.
   */
  void restore() throws IOException, InterruptedException {
    if (!split()) return;
    for (long pid : controlPlane)
      Os.exitOf("taskset", "-a", "-p", "-c", allowed, Long.toString(pid));
    Os.exitOf("taskset", "-a", "-p", "-c", allowed, Long.toString(ProcessHandle.current().pid()));
  }

  private boolean split() {
    return cpus.size() >= 2;
  }

  private String controlPlaneCpu() {
    return Integer.toString(cpus.get(0));
  }

  private String benchCpus() {
    return String.join(",", cpus.subList(1, cpus.size()).stream().map(String::valueOf).toList());
  }

  /** Every thread of {@code pid}, and what they start, on {@code cpus} only. */
  private static void pin(long pid, String cpus) throws IOException, InterruptedException {
    Os.run("taskset", "-a", "-p", "-c", cpus, Long.toString(pid));
  }

  /** This process's {@code Cpus_allowed_list} from {@code /proc/self/status}, such as "0-1". */
  private static String allowedCpus() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("Cpus_allowed_list:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElseThrow(() -> new IOException("/proc/self/status has no Cpus_allowed_list"));
  }

  /** The CPUs of a list such as "0-3,6". */
  private static List<Integer> cpuList(String list) {
    List<Integer> cpus = new ArrayList<>();
    for (String part : list.split(",")) {
      String[] range = part.split("-");
      int from = Integer.parseInt(range[0].strip());
      int to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
      for (int cpu = from; cpu <= to; cpu++) cpus.add(cpu);
    }
    return cpus;
  }

  /** The processes, other than this one, with {@code text} in their command line. */
  private static List<Long> processesNaming(String text) {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> p.info().commandLine().map(line -> line.contains(text)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }
}

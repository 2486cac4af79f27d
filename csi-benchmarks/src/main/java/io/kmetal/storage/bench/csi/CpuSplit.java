package io.kmetal.storage.bench.csi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
  private final List<Long> controlPlane;
  private final String benchCpus;

  private CpuSplit(String allowed, List<Long> controlPlane, String benchCpus) {
    this.allowed = allowed;
    this.controlPlane = controlPlane;
    this.benchCpus = benchCpus;
  }

  /**
   * Splits the CPUs between the processes whose command line names {@code sandbox} and this JVM.
   */
  static CpuSplit apply(Path sandbox) throws IOException, InterruptedException {
    String allowed = allowedCpus();
    List<Integer> cpus = cpuList(allowed);
    if (cpus.size() < 2) return new CpuSplit(allowed, List.of(), null);
    String first = Integer.toString(cpus.get(0));
    String rest =
        String.join(",", cpus.subList(1, cpus.size()).stream().map(String::valueOf).toList());
    List<Long> controlPlane = processesNaming(sandbox.toAbsolutePath() + "/");
    CpuSplit split = new CpuSplit(allowed, controlPlane, rest);
    try {
      for (long pid : controlPlane) pin(pid, first);
      pin(ProcessHandle.current().pid(), rest);
    } catch (IOException | InterruptedException e) {
      split.restore();
      throw e;
    }
    return split;
  }

  /** One line for the table's heading. */
  String describe() {
    if (benchCpus == null) return "one CPU: the control plane and this benchmark share it";
    return String.format(
        "the sandbox's control plane (%d processes) on CPU %s, this benchmark and its drivers on"
            + " CPU %s, as on separate machines",
        controlPlane.size(), cpuList(allowed).get(0), benchCpus);
  }

  /** How many CPUs the control plane has: the bound of a row whose CPU goes to it. */
  int controlPlaneCpus() {
    return benchCpus == null ? cpuList(allowed).size() : 1;
  }

  /**
   * Every pinned process, this JVM included, on the CPUs it was allowed before; gone ones skipped.
   */
  void restore() throws IOException, InterruptedException {
    if (benchCpus == null) return;
    for (long pid : controlPlane)
      Os.exitOf("taskset", "-a", "-p", "-c", allowed, Long.toString(pid));
    Os.exitOf("taskset", "-a", "-p", "-c", allowed, Long.toString(ProcessHandle.current().pid()));
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
  static List<Integer> cpuList(String list) {
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
  private static List<Long> processesNaming(String text) throws IOException {
    long self = ProcessHandle.current().pid();
    List<Long> pids = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid != self && commandLine(proc).contains(text)) pids.add(pid);
      }
    }
    return pids;
  }

  private static String commandLine(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }
}

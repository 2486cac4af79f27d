package io.kmetal.storage.examples.fleet;

import io.kmetal.storage.model.Images;
import io.kmetal.storage.testbed.ResidentMemory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The driver's processes in containers on this machine, found by their command line in {@code
 * /proc}: a process in this test's own mount namespace (a driver started by hand beside the test)
 * is no pod's.
 */
final class DriverProcesses {
  private DriverProcesses() {}

  /**
   * The driver's jar as the pods name it: relative to the image's working directory (the image's
   * own command) or at its absolute path (the webhook's rendered command).
   */
  private static final Set<String> JAR = Set.of(Images.DRIVER_JAR_NAME, Images.DRIVER_JAR);

  /** The resident memory (KiB) of every {@code java ... -jar <JAR> <mode> ...}, by mode. */
  static Map<String, List<Long>> rssKib() throws IOException {
    Map<String, List<Long>> out = new TreeMap<>();
    pids()
        .forEach(
            (mode, pids) ->
                pids.forEach(
                    pid ->
                        ResidentMemory.kib(pid)
                            .ifPresent(
                                kib ->
                                    out.computeIfAbsent(mode, m -> new ArrayList<>()).add(kib))));
    return out;
  }

  /** The process ids of those processes, by mode. */
  static Map<String, List<Long>> pids() throws IOException {
    Map<String, List<Long>> out = new TreeMap<>();
    Path host = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"));
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        if (!inContainer(proc, host)) continue;
        List<String> args = commandLine(proc);
        int at = args.indexOf("-jar") + 1;
        if (at < 2 || at + 1 >= args.size() || !JAR.contains(args.get(at))) continue;
        out.computeIfAbsent(args.get(at + 1), m -> new ArrayList<>())
            .add(Long.parseLong(proc.getFileName().toString()));
      }
    }
    return out;
  }

  /**
   * The mappings of class archives ({@code .jsa} files) in {@code pid}'s address space, each as
   * {@code /proc/<pid>/maps} gives it: address range, permissions, offset, device, inode, file.
   */
  static List<String> classArchiveMappings(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps")).stream()
        .filter(line -> line.endsWith(".jsa"))
        .toList();
  }

  /** Whether {@code proc} runs in a mount namespace other than {@code host}'s. */
  private static boolean inContainer(Path proc, Path host) {
    try {
      return !Files.readSymbolicLink(proc.resolve("ns/mnt")).equals(host);
    } catch (IOException gone) {
      return false;
    }
  }

  private static List<String> commandLine(Path proc) {
    try {
      String raw = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
    } catch (IOException gone) {
      return List.of();
    }
  }
}

package io.kmetal.storage.bench.csi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far, from /proc: by this benchmark's JVM, by the driver processes, and by the
 * whole machine (every process, the API servers and etcd among them). The difference of two samples
 * over a series, divided by its requests, says where each request's CPU went.
 */
record CpuUse(double benchMs, double driverMs, double machineMs) {
  private static final double MS_PER_TICK = 1000.0 / ticksPerSecond();

  static CpuUse sample(List<Long> driverPids) throws IOException {
    long drivers = 0;
    for (long pid : driverPids) drivers += processTicks(Long.toString(pid));
    return new CpuUse(
        processTicks("self") * MS_PER_TICK,
        drivers * MS_PER_TICK,
        machineBusyTicks() * MS_PER_TICK);
  }

  /** What was used since {@code earlier}, per one of {@code requests}. */
  CpuUse perRequestSince(CpuUse earlier, int requests) {
    return new CpuUse(
        (benchMs - earlier.benchMs) / requests,
        (driverMs - earlier.driverMs) / requests,
        (machineMs - earlier.machineMs) / requests);
  }

  /** The mean of per-request figures from series of equal length. */
  static CpuUse mean(List<CpuUse> series) {
    return new CpuUse(
        series.stream().mapToDouble(CpuUse::benchMs).average().orElse(0),
        series.stream().mapToDouble(CpuUse::driverMs).average().orElse(0),
        series.stream().mapToDouble(CpuUse::machineMs).average().orElse(0));
  }

  /** The machine's share that neither JVM used: the API servers, etcd, the rest. */
  double othersMs() {
    return machineMs - benchMs - driverMs;
  }

  /** utime + stime of {@code /proc/<pid>/stat} (fields 14 and 15, after the command's name). */
  private static long processTicks(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * Waits until the machine is quiet, at most {@code maxMs}: a fifth of a second in which all its
   * CPUs together were busy for no more than {@code busyMs}. Returns the milliseconds waited.
   */
  static long awaitQuiet(long busyMs, long maxMs) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long waited;
    do {
      long before = machineBusyTicks();
      Thread.sleep(200);
      waited = (System.nanoTime() - start) / 1_000_000;
      if ((machineBusyTicks() - before) * MS_PER_TICK <= busyMs) break;
    } while (waited < maxMs);
    return waited;
  }

  /** Every CPU's busy time from {@code /proc/stat}'s first line: all but idle and iowait. */
  private static long machineBusyTicks() throws IOException {
    String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < cpu.length && i <= 8; i++)
      if (i != 4 && i != 5) busy += Long.parseLong(cpu[i]);
    return busy;
  }

  private static long ticksPerSecond() {
    try {
      return Long.parseLong(Os.run("getconf", "CLK_TCK"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    } catch (IOException | NumberFormatException e) {
      return 100; // USER_HZ on every Linux this runs on
    }
  }
}

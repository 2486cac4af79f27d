package io.kmetal.storage.bench.csi;

import io.kmetal.storage.testbed.ResidentMemory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Commands run as the driver's {@code LinuxMounter} runs them: one process each, output read. */
public final class Os {
  private Os() {}

  /** Runs {@code command}; its output, or an exception with it when it exits non-zero. */
  public static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 2 minutes");
    }
    if (p.exitValue() != 0)
      throw new IOException(
          String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out);
    return out;
  }

  /** Like {@link #run} but an exit code is no error (a probe such as findmnt or blkid). */
  public static int exitOf(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  /** A sparse file of {@code bytes} attached as a loop device; {@code detach} undoes both. */
  public record LoopDevice(Path image, Path device) {
    public static LoopDevice attach(Path image, long bytes)
        throws IOException, InterruptedException {
      try (var file = new RandomAccessFile(image.toFile(), "rw")) {
        file.setLength(bytes);
      }
      try {
        return new LoopDevice(image, Path.of(run("losetup", "--find", "--show", image.toString())));
      } catch (IOException | InterruptedException e) {
        Files.deleteIfExists(image);
        throw e;
      }
    }

    public void detach() throws IOException, InterruptedException {
      try {
        run("losetup", "-d", device.toString());
      } finally {
        Files.deleteIfExists(image);
      }
    }
  }

  /** Unmounts {@code target} if something is mounted there. */
  public static void unmountIfMounted(Path target) throws IOException, InterruptedException {
    if (exitOf("findmnt", "--mountpoint", target.toString()) == 0) run("umount", target.toString());
  }

  /** Whether anything is mounted at or below {@code dir}. */
  public static boolean anyMountUnder(Path dir) throws IOException {
    String prefix = dir.toAbsolutePath().toString();
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .map(l -> l.split(" ")[1])
        .anyMatch(m -> m.equals(prefix) || m.startsWith(prefix + "/"));
  }

  /** {@code VmRSS} of process {@code pid} in KiB (from /proc). */
  public static long rssKib(long pid) throws IOException {
    return ResidentMemory.kib(pid)
        .orElseThrow(() -> new IOException("process " + pid + " is gone: no VmRSS"));
  }

  /** A TCP port free on loopback now, for a driver's health, metrics or webhook address. */
  public static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Deletes {@code dir} and what it holds (only when nothing is mounted below it). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    if (anyMountUnder(dir)) throw new IOException(dir + " still has mounts below it: kept");
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    }
  }
}

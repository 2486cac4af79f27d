package io.kmetal.storage.bench.csi;

import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.NodeGrpc;
import io.grpc.ManagedChannel;
import io.kmetal.storage.testbed.csi.DriverProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * NodeStage + NodePublish of a blank 64 MiB disk through the packaged node plugin vs. the same work
 * done directly: {@code mkfs.ext4} with the driver's options, {@code mount}, {@code mount --bind};
 * and once more with the checks the driver makes before them ({@code findmnt} on the staging and
 * target paths, {@code blkid} on the device), to tell the checks from the gRPC and JVM cost. Every
 * round gets a new loop device; unpublish, unstage and detach are untimed.
 */
public final class StagePublishBench {
  private static final long BYTES = 64L << 20;

  /** Stage and publish of one attached disk; returns {stage ns, publish ns}. */
  @FunctionalInterface
  private interface Work {
    long[] run(Os.LoopDevice disk, String volumeId, Path staging, Path target) throws Exception;
  }

  private record Way(String label, Work work) {}

  private final Path dir;
  private final NodeBed bed;
  private final Teardown teardown;
  private final NodeGrpc.NodeBlockingStub node;
  private int disks;

  private StagePublishBench(Path dir, NodeBed bed, Teardown teardown, ManagedChannel channel) {
    this.dir = dir;
    this.bed = bed;
    this.teardown = teardown;
    this.node = NodeGrpc.newBlockingStub(channel);
  }

  /** Prints the table: {@code rounds} of each way, interleaved, after 3 warm-up rounds each. */
  public static void run(Path dir, NodeBed bed, CsiSockets sockets, Teardown teardown, int rounds)
      throws Exception {
    DriverProcess plugin =
        DriverProcess.start(
            CreateVolumeBench.IMAGE_JVM_FLAGS,
            "node",
            dir.resolve("node.sock"),
            dir.resolve("node.log"),
            bed.args());
    teardown.add("stop the node plugin", plugin::close);
    ManagedChannel channel = sockets.open(plugin.socket());
    teardown.add("close the node plugin channel", () -> CsiSockets.close(channel));
    new StagePublishBench(dir, bed, teardown, channel).measure(rounds);
  }

  private void measure(int rounds) throws Exception {
    List<Way> ways =
        List.of(
            new Way("driver Stage + Publish (gRPC)", this::viaDriver),
            new Way("raw mkfs + mount + bind", StagePublishBench::raw),
            new Way("raw, with the driver's checks", StagePublishBench::rawWithChecks));
    long[][][] nanos = new long[ways.size()][2][rounds];
    for (int r = -3; r < rounds; r++) {
      for (int w = 0; w < ways.size(); w++) {
        long[] t = round(ways.get(w).work());
        if (r < 0) continue;
        nanos[w][0][r] = t[0];
        nanos[w][1][r] = t[1];
      }
    }
    System.out.printf(
        Locale.ROOT,
        "NodeStage + NodePublish of a blank 64 MiB loop device (ext4): %d rounds each, interleaved,"
            + " after 3 warm-up%n",
        rounds);
    System.out.printf(
        Locale.ROOT,
        "%-31s %9s %9s %11s %11s %9s %9s%n",
        "",
        "stage p50",
        "stage p99",
        "publish p50",
        "publish p99",
        "total p50",
        "total p99");
    Latencies[] totals = new Latencies[ways.size()];
    for (int w = 0; w < ways.size(); w++) {
      long[] sum = new long[rounds];
      for (int r = 0; r < rounds; r++) sum[r] = nanos[w][0][r] + nanos[w][1][r];
      Latencies stage = Latencies.of(nanos[w][0]);
      Latencies publish = Latencies.of(nanos[w][1]);
      totals[w] = Latencies.of(sum);
      System.out.printf(
          Locale.ROOT,
          "%-31s %9.1f %9.1f %11.1f %11.1f %9.1f %9.1f%n",
          ways.get(w).label(),
          stage.p50(),
          stage.p99(),
          publish.p50(),
          publish.p99(),
          totals[w].p50(),
          totals[w].p99());
    }
    String[] ratios = {"driver / raw", "", "raw with the checks / raw"};
    for (int w : new int[] {0, 2}) {
      System.out.printf(
          Locale.ROOT,
          "%-31s %9s %9s %11s %11s %8.2fx %8.2fx%n",
          ratios[w],
          "",
          "",
          "",
          "",
          totals[w].p50() / totals[1].p50(),
          totals[w].p99() / totals[1].p99());
    }
    System.out.println("(ms; goal: driver / raw <= 1.2x)");
    System.out.println();
  }

  /** One round: a new disk, the timed work, then everything undone (untimed). */
  private long[] round(Work work) throws Exception {
    String volumeId = "bench-disk-" + disks++;
    Os.LoopDevice disk = Os.LoopDevice.attach(dir.resolve(volumeId + ".img"), BYTES);
    var detach = teardown.add("detach " + disk.device(), disk::detach);
    Path link = Files.createSymbolicLink(bed.link(volumeId), disk.device());
    Path staging = dir.resolve("staging").resolve(volumeId);
    Path target = dir.resolve("pods").resolve(volumeId).resolve("mount");
    var unmount =
        teardown.add(
            "unmount " + volumeId,
            () -> {
              Os.unmountIfMounted(target);
              Os.unmountIfMounted(staging);
            });
    try {
      return work.run(disk, volumeId, staging, target);
    } finally {
      unmount.now();
      Files.deleteIfExists(link);
      detach.now();
    }
  }

  private long[] viaDriver(Os.LoopDevice disk, String volumeId, Path staging, Path target) {
    VolumeCapability capability =
        VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(
                VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
            .build();
    var stub = node.withDeadlineAfter(2, TimeUnit.MINUTES);
    long start = System.nanoTime();
    stub.nodeStageVolume(
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setStagingTargetPath(staging.toString())
            .setVolumeCapability(capability)
            .build());
    long staged = System.nanoTime();
    stub.nodePublishVolume(
        NodePublishVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setStagingTargetPath(staging.toString())
            .setTargetPath(target.toString())
            .setVolumeCapability(capability)
            .build());
    long published = System.nanoTime();
    // the driver's own undo, untimed; the round's teardown catches what it leaves
    stub.nodeUnpublishVolume(
        NodeUnpublishVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setTargetPath(target.toString())
            .build());
    stub.nodeUnstageVolume(
        NodeUnstageVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setStagingTargetPath(staging.toString())
            .build());
    return new long[] {staged - start, published - staged};
  }

  /** What LinuxMounter runs for a blank disk, and nothing else. */
  private static long[] raw(Os.LoopDevice disk, String volumeId, Path staging, Path target)
      throws Exception {
    String device = disk.device().toString();
    long start = System.nanoTime();
    Os.run("mkfs.ext4", "-q", "-F", "-m0", device);
    Files.createDirectories(staging);
    Os.run("mount", "-t", "ext4", device, staging.toString());
    long staged = System.nanoTime();
    Files.createDirectories(target);
    Os.run("mount", "--bind", staging.toString(), target.toString());
    return new long[] {staged - start, System.nanoTime() - staged};
  }

  /** The same commands as NodeService runs them, checks included. */
  private static long[] rawWithChecks(
      Os.LoopDevice disk, String volumeId, Path staging, Path target) throws Exception {
    String device = disk.device().toString();
    long start = System.nanoTime();
    Os.exitOf("findmnt", "-n", "-o", "SOURCE", "--mountpoint", staging.toString());
    Os.exitOf("blkid", "-p", "-o", "value", "-s", "TYPE", device);
    Os.run("mkfs.ext4", "-q", "-F", "-m0", device);
    Files.createDirectories(staging);
    Os.run("mount", "-t", "ext4", device, staging.toString());
    long staged = System.nanoTime();
    Os.exitOf("findmnt", "-n", "-o", "SOURCE", "--mountpoint", target.toString());
    Os.exitOf("findmnt", "-n", "-o", "SOURCE", "--mountpoint", staging.toString());
    Files.createDirectories(target);
    Os.run("mount", "--bind", staging.toString(), target.toString());
    return new long[] {staged - start, System.nanoTime() - staged};
  }
}

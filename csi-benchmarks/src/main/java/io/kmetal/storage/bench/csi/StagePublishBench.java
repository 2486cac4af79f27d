package io.kmetal.storage.bench.csi;

import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.csi.server.UnixChannels;
import io.kmetal.storage.testbed.csi.DriverProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * NodeStage + NodePublish of a blank 64 MiB disk through the packaged node plugin vs. the same work
 * done directly: {@code mkfs.ext4} with the driver's options, {@code mount}, {@code mount --bind};
 * and once more with the checks an earlier driver made before them ({@code findmnt} on the staging
 * and target paths, {@code blkid} on the device). Every round gets a new loop device; unpublish,
 * unstage and detach are untimed. The driver's calls carry the publish context a real kubelet
 * passes on from ControllerPublishVolume (the disk's bus and serial).
 *
 * <p>The driver is measured as a fresh process (the first volumes of a new node, its gRPC path
 * still interpreted), once loading its classes from the jar and once, as the node image runs it,
 * mapping a class archive of its own start (a dynamic archive, {@code -XX:ArchiveClassesAtExit}, of
 * a start that answered Probes; the image's static archive is trained the same way), and after
 * {@value #STEADY_CALLS} Probes and NodeGetCapabilities (what the kubelet's liveness probe every 10
 * s and its capability checks amount to after a few hours). The kubelet is compiled Go; this JVM's
 * client is warmed first on a plugin of its own, with the Probes and capability calls and as many
 * NodeStage and NodePublish requests of the measured shape (which that plugin refuses at once: no
 * such disk, not staged), so only the plugin's side of the call starts cold. Warmed on Probes
 * alone, the client built, wrote and read the measured calls half-interpreted: about 0.9 ms of a
 * round.
 */
public final class StagePublishBench {
  private static final long BYTES = 64L << 20;

  /** Calls that bring a plugin to the steady state a running node's plugin is in. */
  static final int STEADY_CALLS = 2_000;

  /** Stage and publish of one attached disk; returns {stage ns, publish ns}. */
  @FunctionalInterface
  private interface Work {
    long[] run(Os.LoopDevice disk, String volumeId, Path staging, Path target) throws Exception;
  }

  private record Way(String label, Work work) {}

  /** A running node plugin as the benchmark calls it, and the log its own times are read from. */
  private record Plugin(
      NodeGrpc.NodeBlockingStub node, IdentityGrpc.IdentityBlockingStub identity, Path log) {
    static Plugin over(ManagedChannel channel, Path log) {
      return new Plugin(
          NodeGrpc.newBlockingStub(channel), IdentityGrpc.newBlockingStub(channel), log);
    }
  }

  private final Path dir;
  private final NodeBed bed;
  private final Teardown teardown;
  private final Plugin plugin;
  private final Plugin archived;
  private int disks;

  /** Stage and publish times per way, in the order the ways were first measured. */
  private final Map<String, List<long[]>> samples = new LinkedHashMap<>();

  private StagePublishBench(
      Path dir, NodeBed bed, Teardown teardown, Plugin plugin, Plugin archived) {
    this.dir = dir;
    this.bed = bed;
    this.teardown = teardown;
    this.plugin = plugin;
    this.archived = archived;
  }

  /** Prints the table: {@code rounds} of each way, interleaved, after 3 warm-up rounds each. */
  public static void run(Path dir, NodeBed bed, Teardown teardown, int rounds) throws Exception {
    try (DriverProcess clientWarmUp = start(dir, bed, "client-warm-up")) {
      onChannelOf(clientWarmUp, plugin -> warmClient(plugin, dir, STEADY_CALLS));
    }
    Path archive = dir.resolve("node.jsa");
    try (DriverProcess training =
        start(dir, bed, "archive-training", "-XX:ArchiveClassesAtExit=" + archive)) {
      onChannelOf(training, plugin -> steadyCalls(plugin, 3));
    } // the JVM writes the archive as it exits
    if (!Files.isRegularFile(archive))
      throw new IllegalStateException("the training start wrote no class archive; see " + dir);
    Plugin plugin = running(dir, bed, teardown, "node");
    Plugin archived =
        running(dir, bed, teardown, "node-archived", "-XX:SharedArchiveFile=" + archive);
    new StagePublishBench(dir, bed, teardown, plugin, archived).measure(rounds);
  }

  /** A node plugin started for the measurement, stopped by {@code teardown}. */
  private static Plugin running(
      Path dir, NodeBed bed, Teardown teardown, String name, String... jvmFlags) throws Exception {
    DriverProcess process = start(dir, bed, name, jvmFlags);
    teardown.add("stop " + name, process::close);
    ManagedChannel channel = UnixChannels.open(process.socket());
    teardown.add("close the channel to " + name, () -> CsiSockets.close(channel));
    return Plugin.over(channel, process.log());
  }

  private static DriverProcess start(Path dir, NodeBed bed, String name, String... jvmFlags)
      throws Exception {
    List<String> flags = new ArrayList<>(CreateVolumeBench.IMAGE_JVM_FLAGS);
    flags.addAll(List.of(jvmFlags));
    return DriverProcess.start(
        flags, "node", dir.resolve(name + ".sock"), dir.resolve(name + ".log"), bed.args());
  }

  /** {@code calls} made on {@code process} through a channel of their own, closed after. */
  private static void onChannelOf(DriverProcess process, Consumer<Plugin> calls) {
    ManagedChannel channel = UnixChannels.open(process.socket());
    try {
      calls.accept(Plugin.over(channel, process.log()));
    } finally {
      CsiSockets.close(channel);
    }
  }

  /**
   * {@code calls} of every kind the benchmark makes, the stage and publish requests for disks that
   * are not attached: each is refused before any work, and this JVM's client code for them gets
   * compiled.
   */
  private static void warmClient(Plugin plugin, Path dir, int calls) {
    steadyCalls(plugin, calls);
    for (int i = 0; i < calls; i++) {
      String volumeId = "not-attached-" + i;
      Path staging = dir.resolve("staging").resolve(volumeId);
      Path target = dir.resolve("pods").resolve(volumeId).resolve("mount");
      expectRefusal(() -> plugin.node().nodeStageVolume(stageRequest(volumeId, staging)));
      expectRefusal(
          () -> plugin.node().nodePublishVolume(publishRequest(volumeId, staging, target)));
    }
  }

  private static void expectRefusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException refused) {
      return;
    }
    throw new IllegalStateException(
        "the client warm-up's plugin accepted a volume it does not have");
  }

  private static void steadyCalls(Plugin plugin, int calls) {
    for (int i = 0; i < calls; i++) {
      plugin.identity().probe(ProbeRequest.getDefaultInstance());
      plugin.node().nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance());
    }
  }

  private void measure(int rounds) throws Exception {
    Way raw = new Way("raw mkfs + mount + bind", StagePublishBench::raw);
    Way rawWithChecks = new Way("raw, with the earlier checks", StagePublishBench::rawWithChecks);
    Way fresh = new Way("driver, fresh plugin", via(plugin));
    Way freshArchived = new Way("driver, fresh, class archive", via(archived));
    Way steady = new Way("driver, steady plugin", via(plugin));
    rounds(rounds, List.of(fresh, freshArchived, raw, rawWithChecks));
    double[] freshOwn = own(plugin, rounds);
    double[] archivedOwn = own(archived, rounds);
    steadyCalls(plugin, STEADY_CALLS);
    rounds(rounds, List.of(steady, raw));
    double[] steadyOwn = own(plugin, rounds);

    System.out.printf(
        Locale.ROOT,
        "NodeStage + NodePublish of a blank 64 MiB loop device (ext4): %d rounds of each driver"
            + " row (the steady one after %,d Probes + NodeGetCapabilities), interleaved with the"
            + " raw rows, after 3 warm-up%n",
        rounds,
        STEADY_CALLS);
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
    Map<String, Latencies> totals = new LinkedHashMap<>();
    for (Way way : List.of(fresh, freshArchived, steady, raw, rawWithChecks)) {
      List<long[]> times = samples.get(way.label());
      long[] stage = times.stream().mapToLong(t -> t[0]).toArray();
      long[] publish = times.stream().mapToLong(t -> t[1]).toArray();
      long[] sum = times.stream().mapToLong(t -> t[0] + t[1]).toArray();
      totals.put(way.label(), Latencies.of(sum));
      System.out.printf(
          Locale.ROOT,
          "%-31s %9.1f %9.1f %11.1f %11.1f %9.1f %9.1f%n",
          way.label(),
          Latencies.of(stage).p50(),
          Latencies.of(stage).p99(),
          Latencies.of(publish).p50(),
          Latencies.of(publish).p99(),
          totals.get(way.label()).p50(),
          totals.get(way.label()).p99());
      if (way == fresh) ownRow("  of it the plugin's own (log)", freshOwn);
      if (way == freshArchived) ownRow("  of it the plugin's own (log)", archivedOwn);
      if (way == steady) ownRow("  of it the plugin's own (log)", steadyOwn);
    }
    Latencies base = totals.get(raw.label());
    for (Way way : List.of(fresh, freshArchived, steady, rawWithChecks)) {
      Latencies t = totals.get(way.label());
      System.out.printf(
          Locale.ROOT,
          "%-31s %9s %9s %11s %11s %8.2fx %8.2fx%n",
          way.label().replace("driver, ", "") + " / raw",
          "",
          "",
          "",
          "",
          t.p50() / base.p50(),
          t.p99() / base.p99());
    }
    System.out.println(
        "(ms; goal: driver / raw <= 1.2x. The raw rows hold both phases' rounds; `own` is the"
            + " handler's time as the plugin logs it, the rest is the socket, gRPC and the wait"
            + " for a thread)");
    System.out.println();
  }

  /** {@code rounds} measured rounds of each way in turn, after 3 unmeasured. */
  private void rounds(int rounds, List<Way> ways) throws Exception {
    for (int r = -3; r < rounds; r++) {
      for (Way way : ways) {
        long[] t = round(way.work());
        if (r >= 0) samples.computeIfAbsent(way.label(), k -> new ArrayList<>()).add(t);
      }
    }
  }

  /** A plugin's own median stage and publish times over its last {@code rounds} of each. */
  private static double[] own(Plugin plugin, int rounds) throws Exception {
    return new double[] {
      DriverLog.ownP50(plugin.log(), "NodeStageVolume", rounds),
      DriverLog.ownP50(plugin.log(), "NodePublishVolume", rounds)
    };
  }

  private static void ownRow(String label, double[] own) {
    System.out.printf(Locale.ROOT, "%-31s %9.1f %9s %11.1f%n", label, own[0], "", own[1]);
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

  /** Stage and publish through {@code plugin}, then its own unpublish and unstage, untimed. */
  private static Work via(Plugin plugin) {
    return (disk, volumeId, staging, target) -> viaDriver(plugin, volumeId, staging, target);
  }

  private static long[] viaDriver(Plugin plugin, String volumeId, Path staging, Path target) {
    var stub = plugin.node().withDeadlineAfter(2, TimeUnit.MINUTES);
    NodeStageVolumeRequest stage = stageRequest(volumeId, staging);
    NodePublishVolumeRequest publish = publishRequest(volumeId, staging, target);
    long start = System.nanoTime();
    stub.nodeStageVolume(stage);
    long staged = System.nanoTime();
    stub.nodePublishVolume(publish);
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

  private static final VolumeCapability EXT4_WRITER =
      VolumeCapability.newBuilder()
          .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
          .setAccessMode(
              VolumeCapability.AccessMode.newBuilder()
                  .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
          .build();

  /**
   * What ControllerPublishVolume hands the kubelet for the node plugin: the disk's bus and serial.
   */
  private static Map<String, String> publishContext(String volumeId) {
    return Map.of("bus", "scsi", DiskSerial.PUBLISH_CONTEXT_KEY, DiskSerial.of(volumeId));
  }

  /** The request of a NodeStage as the kubelet sends it for a disk of {@code volumeId}. */
  private static NodeStageVolumeRequest stageRequest(String volumeId, Path staging) {
    return NodeStageVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .putAllPublishContext(publishContext(volumeId))
        .setStagingTargetPath(staging.toString())
        .setVolumeCapability(EXT4_WRITER)
        .build();
  }

  private static NodePublishVolumeRequest publishRequest(
      String volumeId, Path staging, Path target) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .putAllPublishContext(publishContext(volumeId))
        .setStagingTargetPath(staging.toString())
        .setTargetPath(target.toString())
        .setVolumeCapability(EXT4_WRITER)
        .build();
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

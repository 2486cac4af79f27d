package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.Csi.NodeExpandVolumeRequest;
import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeUsage;
import csi.v1.NodeGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kmetal.csi.disk.DiskSerial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node service on real loop devices, with real mkfs, mount, findmnt and resize2fs: the disk a
 * hot-plug would attach is a loop device named by serial in a by-id folder, as udev names it.
 */
class NodeServiceIT {
  private static final String VOLUME = "pvc-0a1b2c";
  private Path dir;
  private Path backing;
  private String loop;
  private Server server;
  private ManagedChannel channel;
  private NodeGrpc.NodeBlockingStub node;

  @BeforeEach
  void attachALoopDevice() throws Exception {
    dir = Files.createTempDirectory("node-it-");
    backing = dir.resolve("disk.img");
    sh("truncate", "-s", "64M", backing.toString());
    loop = sh("losetup", "--find", "--show", backing.toString()).strip();
    Path byId = Files.createDirectories(dir.resolve("by-id"));
    Files.createSymbolicLink(
        byId.resolve("scsi-0QEMU_QEMU_HARDDISK_" + DiskSerial.of(VOLUME)), Path.of(loop));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new NodeService("vm-1", new Disks(byId), new LinuxMounter()))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    node = NodeGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void detach() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    for (String m : List.of("target-ro", "target", "staging")) {
      new ProcessBuilder("umount", dir.resolve(m).toString()).start().waitFor();
    }
    sh("losetup", "-d", loop);
  }

  private static VolumeCapability ext4(String... flags) {
    return VolumeCapability.newBuilder()
        .setMount(
            VolumeCapability.MountVolume.newBuilder()
                .setFsType("ext4")
                .addAllMountFlags(List.of(flags)))
        .build();
  }

  private void stage(VolumeCapability capability) {
    node.nodeStageVolume(
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId(VOLUME)
            .setStagingTargetPath(dir.resolve("staging").toString())
            .setVolumeCapability(capability)
            .build());
  }

  private void publish(String target, boolean readOnly) {
    node.nodePublishVolume(
        NodePublishVolumeRequest.newBuilder()
            .setVolumeId(VOLUME)
            .setStagingTargetPath(dir.resolve("staging").toString())
            .setTargetPath(dir.resolve(target).toString())
            .setVolumeCapability(ext4())
            .setReadonly(readOnly)
            .build());
  }

  private void unpublish(String target) {
    node.nodeUnpublishVolume(
        NodeUnpublishVolumeRequest.newBuilder()
            .setVolumeId(VOLUME)
            .setTargetPath(dir.resolve(target).toString())
            .build());
  }

  private void unstage() {
    node.nodeUnstageVolume(
        NodeUnstageVolumeRequest.newBuilder()
            .setVolumeId(VOLUME)
            .setStagingTargetPath(dir.resolve("staging").toString())
            .build());
  }

  @Test
  void concurrentStagesOfOneVolumeAreAbortedNeverRunTwice() throws Exception {
    int callers = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(callers);
    var start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<io.grpc.Status.Code>> results = new java.util.ArrayList<>();
    for (int i = 0; i < callers; i++)
      results.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  stage(ext4());
                  return io.grpc.Status.Code.OK;
                } catch (io.grpc.StatusRuntimeException e) {
                  return e.getStatus().getCode();
                }
              }));
    start.countDown();
    List<io.grpc.Status.Code> codes = new java.util.ArrayList<>();
    for (var r : results) codes.add(r.get());
    pool.shutdown();

    assertTrue(codes.contains(io.grpc.Status.Code.OK), codes.toString());
    assertTrue(
        codes.stream()
            .allMatch(c -> c == io.grpc.Status.Code.OK || c == io.grpc.Status.Code.ABORTED),
        codes.toString());
    String mounts = sh("findmnt", "-rn", "-o", "SOURCE", dir.resolve("staging").toString());
    assertEquals(1, mounts.strip().lines().count(), "mounted once: " + mounts);
    assertEquals("ext4", sh("blkid", "-o", "value", "-s", "TYPE", loop).strip());
    stage(ext4()); // and a retry afterwards is a success
  }

  @Test
  void aBlankDiskIsFormattedOncePublishedReadWriteAndReadOnlyAndKeepsItsDataAcrossRestaging()
      throws Exception {
    stage(ext4());
    stage(ext4()); // idempotent
    assertEquals("ext4", sh("blkid", "-o", "value", "-s", "TYPE", loop).strip());
    publish("target", false);
    publish("target", false); // idempotent
    publish("target-ro", true);
    Files.writeString(dir.resolve("target/hello"), "kept", StandardCharsets.UTF_8);
    assertEquals("kept", Files.readString(dir.resolve("target-ro/hello")));
    assertThrows(IOException.class, () -> Files.writeString(dir.resolve("target-ro/x"), "no"));

    unpublish("target-ro");
    unpublish("target");
    unpublish("target"); // idempotent
    unstage();
    unstage(); // idempotent
    assertTrue(
        sh("findmnt", "-n", "-o", "TARGET").lines().noneMatch(l -> l.startsWith(dir.toString())));

    stage(ext4()); // no second mkfs: the data survives
    publish("target", false);
    assertEquals("kept", Files.readString(dir.resolve("target/hello")));
  }

  @Test
  void mountFlagsReachTheStagingMount() throws Exception {
    stage(ext4("noatime"));
    assertTrue(
        sh("findmnt", "-n", "-o", "OPTIONS", "--mountpoint", dir.resolve("staging").toString())
            .contains("noatime"));
  }

  /**
   * Growing a mounted ext4 needs CAP_SYS_RESOURCE, which the node plugin's privileged pod has and
   * this machine's sandbox does not: here the test checks that resize2fs's own refusal reaches the
   * caller; with the capability, that the filesystem grew.
   */
  @Test
  void expansionGrowsTheFilesystemOrSurfacesWhyItCannot() throws Exception {
    stage(ext4());
    long before = Files.getFileStore(dir.resolve("staging")).getTotalSpace();
    sh("truncate", "-s", "128M", backing.toString());
    sh("losetup", "-c", loop);
    var expand =
        NodeExpandVolumeRequest.newBuilder()
            .setVolumeId(VOLUME)
            .setVolumePath(dir.resolve("staging").toString())
            .build();
    if (!hasCapSysResource()) {
      var e = assertThrows(StatusRuntimeException.class, () -> node.nodeExpandVolume(expand));
      assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("resize2fs"), e.getMessage());
      assertEquals(before, Files.getFileStore(dir.resolve("staging")).getTotalSpace());
      return;
    }
    long after = node.nodeExpandVolume(expand).getCapacityBytes();
    assertTrue(after > before * 3 / 2, before + " -> " + after);
    var usage = stagingUsage();
    assertEquals(after, usage.getTotal());
  }

  @Test
  void volumeStatsReportTheStagedFilesystem() throws Exception {
    stage(ext4());
    var usage = stagingUsage();
    assertEquals(Files.getFileStore(dir.resolve("staging")).getTotalSpace(), usage.getTotal());
    assertTrue(usage.getAvailable() > 0 && usage.getAvailable() <= usage.getTotal());
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                node.nodeGetVolumeStats(
                    NodeGetVolumeStatsRequest.newBuilder()
                        .setVolumeId(VOLUME)
                        .setVolumePath(dir.resolve("gone").toString())
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  private VolumeUsage stagingUsage() {
    return node.nodeGetVolumeStats(
            NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(VOLUME)
                .setVolumePath(dir.resolve("staging").toString())
                .build())
        .getUsage(0);
  }

  private static boolean hasCapSysResource() throws IOException {
    String eff =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("CapEff:"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[1];
    return (Long.parseLong(eff, 16) & (1L << 24)) != 0; // CAP_SYS_RESOURCE is capability 24
  }

  @Test
  void aDiskWithAnotherFilesystemIsNeverReformatted() throws Exception {
    sh("mkfs.ext4", "-q", "-F", loop);
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stage(
                    VolumeCapability.newBuilder()
                        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("xfs"))
                        .build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("holds a ext4 filesystem"), e.getMessage());
  }

  @Test
  void mkfsErrorsReachTheCaller() throws Exception {
    sh("losetup", "-d", loop);
    loop = sh("losetup", "--find", "--show", "--read-only", backing.toString()).strip();
    Path link = dir.resolve("by-id/scsi-0QEMU_QEMU_HARDDISK_" + DiskSerial.of(VOLUME));
    Files.delete(link);
    Files.createSymbolicLink(link, Path.of(loop));
    var e = assertThrows(StatusRuntimeException.class, () -> stage(ext4()));
    assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("mkfs.ext4"), e.getMessage());
  }

  static String sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + out);
    return out;
  }
}

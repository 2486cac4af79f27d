package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeServiceCapability;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.NodeGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kmetal.csi.disk.DiskSerial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the node service refuses before touching the machine, each with its status and the field
 * it names, and the per-volume guard. The operating system here is a stand-in that records nothing
 * and may block: these cases never reach a real mount (NodeServiceIT covers those).
 */
class NodeServiceTest {
  private static final VolumeCapability MOUNT =
      VolumeCapability.newBuilder()
          .setMount(VolumeCapability.MountVolume.getDefaultInstance())
          .build();

  /** Nothing mounted, every disk blank; {@code mkfs} waits for the test when asked to. */
  static final class StandIn implements Mounter {
    final CountDownLatch mkfsEntered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Optional<String> filesystemOf(Path device) {
      return Optional.empty();
    }

    @Override
    public void mkfs(Path device, String fsType) {
      mkfsEntered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void mount(Path source, Path target, String fsType, List<String> options) {}

    @Override
    public void bindMount(Path source, Path target, boolean readOnly, List<String> options) {}

    @Override
    public void unmount(Path target) {}

    @Override
    public Optional<String> mountedAt(Path target) {
      return Optional.empty();
    }

    @Override
    public void growFilesystem(Path device, Path mountPoint, String fsType) {}
  }

  private final StandIn os = new StandIn();
  private Path dir;
  private Server server;
  private ManagedChannel channel;
  private NodeGrpc.NodeBlockingStub node;

  @BeforeEach
  void serve() throws Exception {
    dir = Files.createTempDirectory("node-");
    Path byId = Files.createDirectories(dir.resolve("by-id"));
    Files.createSymbolicLink(
        byId.resolve("virtio-" + DiskSerial.of("vol-1")), dir.resolve("fake-device"));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new NodeService("vm-7", new Disks(byId), os))
            .executor(Executors.newFixedThreadPool(4))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    node = NodeGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    os.release.countDown();
    channel.shutdownNow();
    server.shutdownNow();
  }

  static Stream<Arguments> badStageRequests() {
    var ok =
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId("vol-1")
            .setStagingTargetPath("/var/lib/kubelet/staging/vol-1")
            .setVolumeCapability(MOUNT);
    return Stream.of(
        Arguments.of(
            ok.clone().clearVolumeId(), Status.Code.INVALID_ARGUMENT, "volume_id is required"),
        Arguments.of(
            ok.clone().clearStagingTargetPath(),
            Status.Code.INVALID_ARGUMENT,
            "staging_target_path is required"),
        Arguments.of(
            ok.clone().setStagingTargetPath("relative/dir"),
            Status.Code.INVALID_ARGUMENT,
            "staging_target_path must be an absolute path"),
        Arguments.of(
            ok.clone().clearVolumeCapability(),
            Status.Code.INVALID_ARGUMENT,
            "volume_capability is required"),
        Arguments.of(
            ok.clone().setVolumeCapability(VolumeCapability.getDefaultInstance()),
            Status.Code.INVALID_ARGUMENT,
            "needs an access type"),
        Arguments.of(
            ok.clone()
                .setVolumeCapability(
                    VolumeCapability.newBuilder()
                        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ntfs"))),
            Status.Code.INVALID_ARGUMENT,
            "fs_type ntfs is not supported"),
        Arguments.of(
            ok.clone().setVolumeId("not-attached"),
            Status.Code.NOT_FOUND,
            "no disk with serial "
                + DiskSerial.of("not-attached")
                + " or not-attached of volume not-attached is attached to node vm-7"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badStageRequests")
  void stageRefusesWithTheStatusAndTheField(
      NodeStageVolumeRequest.Builder request, Status.Code code, String message) {
    var e = assertThrows(StatusRuntimeException.class, () -> node.nodeStageVolume(request.build()));
    assertEquals(code, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
  }

  @Test
  void publishingAMountVolumeThatIsNotStagedIsAFailedPrecondition() {
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                node.nodePublishVolume(
                    NodePublishVolumeRequest.newBuilder()
                        .setVolumeId("vol-1")
                        .setStagingTargetPath(dir.resolve("staging").toString())
                        .setTargetPath(dir.resolve("target").toString())
                        .setVolumeCapability(MOUNT)
                        .build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }

  @Test
  void aSecondCallOnAVolumeInProgressIsAbortedNotRunConcurrently() throws Exception {
    var stage =
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId("vol-1")
            .setStagingTargetPath(dir.resolve("staging").toString())
            .setVolumeCapability(MOUNT)
            .build();
    var first = NodeGrpc.newFutureStub(channel).nodeStageVolume(stage);
    assertTrue(os.mkfsEntered.await(10, TimeUnit.SECONDS));
    var e = assertThrows(StatusRuntimeException.class, () -> node.nodeStageVolume(stage));
    assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
    os.release.countDown();
    first.get(10, TimeUnit.SECONDS); // the first one completes
  }

  @Test
  void aCallMadeRightAfterTheLastOneAnsweredIsNeverAborted() {
    var unstage =
        NodeUnstageVolumeRequest.newBuilder()
            .setVolumeId("vol-1")
            .setStagingTargetPath(dir.resolve("staging").toString())
            .build();
    for (int i = 0; i < 500; i++) node.nodeUnstageVolume(unstage); // the volume is released first
  }

  @Test
  void infoAndCapabilities() {
    assertEquals("vm-7", node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId());
    assertEquals(
        List.of(
            NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME,
            NodeServiceCapability.RPC.Type.EXPAND_VOLUME,
            NodeServiceCapability.RPC.Type.GET_VOLUME_STATS),
        node
            .nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance())
            .getCapabilitiesList()
            .stream()
            .map(c -> c.getRpc().getType())
            .toList());
  }
}

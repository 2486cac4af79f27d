package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.ControllerPublishVolumeRequest;
import csi.v1.Csi.ControllerUnpublishVolumeRequest;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.csi.infra.InfraCluster;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.kubevirt.Kinds;
import io.kmetal.storage.testbed.kubevirt.KubevirtSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ControllerPublish/Unpublish against the sandbox's under cluster: the hot-plug calls go through
 * the real API server's aggregation to the KubeVirt simulator (the only simulated part: no VM can
 * run here), which plugs a real loop device into the "VM".
 */
class ControllerPublishIT {
  private static final String NS = "csi-publish-it";
  private static final Map<String, String> OURS = Map.of("csi.kubevirt.io/tenant-cluster", "pub-a");
  private static final Map<String, String> THEIRS =
      Map.of("csi.kubevirt.io/tenant-cluster", "pub-b");

  @TempDir static Path work;
  private static KubevirtSimulator kubevirt;
  private static KubernetesClient under;
  private Server server;
  private ManagedChannel channel;
  private ControllerGrpc.ControllerBlockingStub controller;

  @BeforeAll
  static void startKubevirt() throws Exception {
    kubevirt = KubevirtSimulator.start(Sandbox.running(), work);
    under = Sandbox.running().under().client();
    for (String vm : new String[] {"vm-a", "vm-b"}) kubevirt.startVm(NS, vm, OURS);
    kubevirt.startVm(NS, "vm-theirs", THEIRS);
  }

  @AfterAll
  static void stopKubevirt() throws Exception {
    for (String vm : new String[] {"vm-a", "vm-b", "vm-theirs"}) kubevirt.deleteVm(NS, vm);
    under.genericKubernetesResources(Kinds.DATA_VOLUME).inNamespace(NS).delete();
    assertEquals(List.of(), kubevirt.awaitVolumesGone(NS, 90), "volumes left behind");
    kubevirt.close();
    under.close();
  }

  @BeforeEach
  void serve() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(ControllerServiceIT.controllerService(new ControllerConfig(NS, OURS)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    controller = ControllerGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static VolumeCapability mount(Mode mode) {
    return VolumeCapability.newBuilder()
        .setMount(VolumeCapability.MountVolume.getDefaultInstance())
        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
        .build();
  }

  private String create(String name) {
    return controller
        .createVolume(
            CreateVolumeRequest.newBuilder()
                .setName(name)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16L << 20))
                .addVolumeCapabilities(mount(Mode.SINGLE_NODE_WRITER))
                .build())
        .getVolume()
        .getVolumeId();
  }

  private Map<String, String> publish(String volume, String node) {
    return controller
        .controllerPublishVolume(
            ControllerPublishVolumeRequest.newBuilder()
                .setVolumeId(volume)
                .setNodeId(node)
                .setVolumeCapability(mount(Mode.SINGLE_NODE_WRITER))
                .build())
        .getPublishContextMap();
  }

  private void unpublish(String volume, String node) {
    controller.controllerUnpublishVolume(
        ControllerUnpublishVolumeRequest.newBuilder().setVolumeId(volume).setNodeId(node).build());
  }

  private static Path disk(String vm, String serial) throws Exception {
    return kubevirt.byIdDir(vm).resolve("scsi-0QEMU_QEMU_HARDDISK_" + serial);
  }

  private static Status.Code code(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  @Test
  void publishHotPlugsTheDiskIntoTheVmAndUnpublishUnplugsIt() throws Exception {
    String volume = create("pub-plug");

    Map<String, String> context = publish(volume, "vm-a");

    assertEquals(Map.of("bus", "scsi", "serial", DiskSerial.of(volume)), context);
    Path disk = disk("vm-a", DiskSerial.of(volume));
    assertTrue(Files.isSymbolicLink(disk), "the VM sees a disk with the volume's serial");
    assertTrue(Files.readSymbolicLink(disk).toString().startsWith("/dev/loop"));
    assertEquals(context, publish(volume, "vm-a"), "publishing again changes nothing");

    unpublish(volume, "vm-a");
    assertFalse(Files.exists(disk, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    unpublish(volume, "vm-a"); // idempotent
  }

  @Test
  void aVolumeHotPluggedWithItsIdAsSerialKeepsThatSerial() throws Exception {
    String volume = create("pub-legacy");
    // as an earlier driver plugged it: the id itself (virtio keeps its first 20 characters)
    ControllerServiceIT.infra(NS)
        .addVolume("vm-b", new InfraCluster.Hotplug(volume, volume, "virtio", false));
    await("the legacy disk is plugged", () -> Files.isSymbolicLink(virtioDisk("vm-b", volume)));

    Map<String, String> context = publish(volume, "vm-b");

    assertEquals(volume, context.get("serial"), "the serial the VMI holds, for the node plugin");
    unpublish(volume, "vm-b");
    assertFalse(Files.exists(virtioDisk("vm-b", volume), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  private static Path virtioDisk(String vm, String serial) throws Exception {
    return kubevirt
        .byIdDir(vm)
        .resolve("virtio-" + serial.substring(0, Math.min(20, serial.length())));
  }

  private static void await(String what, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (!condition.call()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(100);
    }
  }

  @Test
  void aReadWriteOnceVolumeIsNotAttachedToASecondVm() {
    String volume = create("pub-rwo");
    publish(volume, "vm-a");
    try {
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> publish(volume, "vm-b"));
      assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("vm-a"), e.getStatus().getDescription());
    } finally {
      unpublish(volume, "vm-a");
    }
    publish(volume, "vm-b");
    unpublish(volume, "vm-b");
  }

  @Test
  void anotherTenantsVmOrAMissingVolumeIsNotFound() {
    String volume = create("pub-isolation");
    assertEquals(Status.Code.NOT_FOUND, code(() -> publish(volume, "vm-theirs")));
    assertEquals(Status.Code.NOT_FOUND, code(() -> publish(volume, "vm-missing")));
    assertEquals(Status.Code.NOT_FOUND, code(() -> publish("pub-missing", "vm-a")));
    unpublish(volume, "vm-missing"); // a node that is gone holds nothing: success
  }

  @Test
  void publishValidatesItsRequestFirst() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                controller.controllerPublishVolume(
                    ControllerPublishVolumeRequest.newBuilder()
                        .setVolumeId("v")
                        .setVolumeCapability(mount(Mode.SINGLE_NODE_WRITER))
                        .build())));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                controller.controllerPublishVolume(
                    ControllerPublishVolumeRequest.newBuilder()
                        .setVolumeId("v")
                        .setNodeId("vm-a")
                        .build())));
  }
}

package io.kmetal.csi.controller;

import static io.kmetal.csi.controller.Requests.block;
import static io.kmetal.csi.controller.Requests.mount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.ControllerExpandVolumeRequest;
import csi.v1.Csi.ControllerGetCapabilitiesRequest;
import csi.v1.Csi.ControllerPublishVolumeRequest;
import csi.v1.Csi.ControllerServiceCapability.RPC;
import csi.v1.Csi.ControllerUnpublishVolumeRequest;
import csi.v1.Csi.CreateSnapshotRequest;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.DeleteSnapshotRequest;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.ListSnapshotsRequest;
import csi.v1.Csi.ListVolumesRequest;
import csi.v1.Csi.ValidateVolumeCapabilitiesRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import csi.v1.Csi.VolumeContentSource;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.csi.infra.DataVolume;
import io.kmetal.csi.infra.VolumeSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every branch of the Controller service over an in-memory under cluster ({@link
 * InMemoryInfraCluster}): the calls as the sidecars make them, the objects as CDI and KubeVirt
 * would hold them. {@code ControllerServiceIT} and {@code ControllerPublishIT} prove the same
 * against the real API server.
 */
class ControllerServiceTest {
  private static final String NS = "tenant-alpha";
  private static final Map<String, String> OURS = Map.of("csi.kubevirt.io/tenant-cluster", "alpha");
  private static final Map<String, String> THEIRS =
      Map.of("csi.kubevirt.io/tenant-cluster", "beta");
  private static final long GI = 1L << 30;

  private final InMemoryInfraCluster under = new InMemoryInfraCluster();
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private ControllerGrpc.ControllerBlockingStub controller;

  @BeforeEach
  void serve() throws Exception {
    controller =
        serving(
            new ControllerConfig(
                NS,
                OURS,
                StorageClassPolicy.parse("allowList: [fast, slow]"),
                ControllerConfig.parseSnapshotClasses(
                    "tenant-snap=under-snap,tenant-other=under-other")));
  }

  /** A controller over {@link #under} with {@code config}, in process. */
  private ControllerGrpc.ControllerBlockingStub serving(ControllerConfig config) throws Exception {
    String name = InProcessServerBuilder.generateName();
    servers.add(
        InProcessServerBuilder.forName(name)
            .addService(
                ControllerService.over(
                    under, config, "scsi", Duration.ofSeconds(1), Duration.ofSeconds(2)))
            .directExecutor()
            .build()
            .start());
    var channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(channel);
    return ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
  }

  // ---- create, delete

  @Test
  void createMakesALabelledBlankDataVolumeOnceAndAnswersARetryTheSame() {
    var first = controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    var again = controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));

    assertEquals(first, again);
    assertEquals("pvc-1", first.getVolume().getVolumeId());
    assertEquals(GI, first.getVolume().getCapacityBytes());
    var dv = under.dataVolume("pvc-1").orElseThrow();
    assertEquals(OURS, dv.labels());
    assertEquals("fast", dv.storageClass());
    assertEquals("ReadWriteOnce", dv.accessMode());
    assertFalse(dv.block());
    assertEquals(DataVolume.Source.BLANK, dv.source());
    assertEquals(1, under.dataVolumes(Map.of()).size());
  }

  @Test
  void aRequestWithoutSizeGetsOneGibibyteAndALimitBelowThatGetsTheLimit() {
    var request = create("pvc-1", 0, mount(Mode.SINGLE_NODE_WRITER));
    assertEquals(GI, controller.createVolume(request).getVolume().getCapacityBytes());
    var limited =
        request.toBuilder()
            .setName("pvc-2")
            .setCapacityRange(CapacityRange.newBuilder().setLimitBytes(GI / 2))
            .build();
    assertEquals(GI / 2, controller.createVolume(limited).getVolume().getCapacityBytes());
  }

  @Test
  void theSameNameWithAnotherSizeOrSourceIsAlreadyExists() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createVolume(create("pvc-2", GI, mount(Mode.SINGLE_NODE_WRITER)));

    assertCode(
        Status.Code.ALREADY_EXISTS,
        () -> controller.createVolume(create("pvc-1", 2 * GI, mount(Mode.SINGLE_NODE_WRITER))),
        "exists with 1073741824 bytes from ContentSource[kind=BLANK");
    assertCode(
        Status.Code.ALREADY_EXISTS,
        () ->
            controller.createVolume(
                clone(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)), "pvc-2")),
        "this request asks for 1073741824 bytes from ContentSource[kind=VOLUME, id=pvc-2]");
  }

  @Test
  void anotherTenantsDataVolumeOfTheNameIsNeverAdopted() {
    under.put(blank("pvc-theirs", THEIRS));

    assertCode(
        Status.Code.ALREADY_EXISTS,
        () -> controller.createVolume(create("pvc-theirs", GI, mount(Mode.SINGLE_NODE_WRITER))),
        "exists but is not this tenant cluster's");
    assertEquals(THEIRS, under.dataVolume("pvc-theirs").orElseThrow().labels());
  }

  @Test
  void anotherTenantsVolumeIsNotFoundToEveryCallAndNeverDeleted() {
    under.put(blank("pvc-theirs", THEIRS));
    under.addVm("worker-1", OURS, true);

    assertCode(
        Status.Code.NOT_FOUND,
        () ->
            controller.validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder()
                    .setVolumeId("pvc-theirs")
                    .addVolumeCapabilities(mount(Mode.SINGLE_NODE_WRITER))
                    .build()),
        "volume pvc-theirs does not exist");
    assertCode(
        Status.Code.NOT_FOUND,
        () -> controller.controllerExpandVolume(expand("pvc-theirs", 2 * GI)),
        "does not exist");
    assertCode(
        Status.Code.NOT_FOUND,
        () -> controller.controllerPublishVolume(publish("pvc-theirs", "worker-1", false)),
        "does not exist");
    assertCode(
        Status.Code.NOT_FOUND,
        () ->
            controller.createVolume(
                clone(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)), "pvc-theirs")),
        "volume pvc-theirs does not exist");
    controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("pvc-theirs").build());

    assertTrue(
        under.dataVolume("pvc-theirs").isPresent(), "another tenant's volume is never deleted");
    assertEquals(
        0, controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount());
  }

  @Test
  void manyWritersOnlyForBlock() {
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> controller.createVolume(create("pvc-1", GI, mount(Mode.MULTI_NODE_MULTI_WRITER))),
        "block volumes only");
    controller.createVolume(create("pvc-1", GI, block(Mode.MULTI_NODE_MULTI_WRITER)));
    var dv = under.dataVolume("pvc-1").orElseThrow();
    assertEquals("ReadWriteMany", dv.accessMode());
    assertTrue(dv.block());
  }

  @Test
  void aRequestMissingItsParts() {
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> controller.createVolume(CreateVolumeRequest.getDefaultInstance()),
        "name is required");
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> controller.createVolume(CreateVolumeRequest.newBuilder().setName("pvc-1").build()),
        "volume_capabilities is required");
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () ->
            controller.createVolume(
                create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)).toBuilder()
                    .setCapacityRange(
                        CapacityRange.newBuilder().setRequiredBytes(2 * GI).setLimitBytes(GI))
                    .build()),
        "required_bytes 2147483648 > limit_bytes 1073741824");
    assertTrue(under.dataVolumes(Map.of()).isEmpty(), "nothing is created on bad input");
  }

  @Test
  void aClassOutsideThePlatformsListIsRefusedNamingIt() {
    var request =
        create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)).toBuilder()
            .putParameters("infraStorageClassName", "gold")
            .build();
    var e =
        assertCode(Status.Code.INVALID_ARGUMENT, () -> controller.createVolume(request), "gold");
    assertTrue(e.getStatus().getDescription().contains("fast"), e.getStatus().getDescription());
    assertTrue(under.dataVolumes(Map.of()).isEmpty());
  }

  @Test
  void aClaimTheQuotaRefusesIsResourceExhaustedAndItsDataVolumeRemoved() {
    String refusal =
        "persistentvolumeclaims \"pvc-1\" is forbidden: exceeded quota: alpha, requested:"
            + " requests.storage=1Gi, used: requests.storage=10Gi, limited: requests.storage=10Gi";
    under.refuseClaims(refusal);

    var e =
        assertCode(
            Status.Code.RESOURCE_EXHAUSTED,
            () -> controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER))),
            refusal);
    assertTrue(e.getStatus().getDescription().contains("DataVolume tenant-alpha/pvc-1"));
    assertTrue(under.dataVolume("pvc-1").isEmpty(), "the refused DataVolume is removed");
  }

  /**
   * A create whose DataVolume exists already (the provisioner's retry after a deadline, or the
   * client's own retry of a POST whose answer was lost, which meets 409) still waits for CDI's
   * verdict on the claim, as the first create does: it must not report a volume the quota refuses.
   */
  @Test
  void aRetryThatFindsItsDataVolumeUnansweredWaitsForTheQuotaVerdict() throws Exception {
    String refusal = "persistentvolumeclaims \"pvc-1\" is forbidden: exceeded quota: alpha";
    var request = create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER));
    under.deferClaims();
    // a deadline that leaves no time to wait: the first call answers before CDI does
    controller.withDeadlineAfter(1, TimeUnit.SECONDS).createVolume(request);
    assertTrue(under.dataVolume("pvc-1").orElseThrow().claimName() == null, "CDI has not answered");

    var cdi = Executors.newSingleThreadScheduledExecutor();
    try {
      cdi.schedule(() -> under.answer("pvc-1", refusal), 300, TimeUnit.MILLISECONDS);
      assertCode(Status.Code.RESOURCE_EXHAUSTED, () -> controller.createVolume(request), refusal);
    } finally {
      cdi.shutdownNow();
    }
    assertTrue(under.dataVolume("pvc-1").isEmpty(), "the refused DataVolume is removed");
  }

  @Test
  void deleteRemovesOursAndIsIdempotent() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("pvc-1").build());
    controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("pvc-1").build());
    assertTrue(under.dataVolume("pvc-1").isEmpty());
  }

  // ---- clones and restores

  @Test
  void aCloneOrRestoreHoldsAtLeastItsSource() {
    controller.createVolume(create("pvc-src", 2 * GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createSnapshot(snapshot("snap-1", "pvc-src", "tenant-snap"));

    var cloned =
        controller.createVolume(
            clone(create("pvc-clone", GI, mount(Mode.SINGLE_NODE_WRITER)), "pvc-src"));
    var restored =
        controller.createVolume(
            restore(create("pvc-restored", GI, mount(Mode.SINGLE_NODE_WRITER)), "snap-1"));

    assertEquals(2 * GI, cloned.getVolume().getCapacityBytes());
    assertEquals("pvc-src", cloned.getVolume().getContentSource().getVolume().getVolumeId());
    assertEquals(
        new DataVolume.Source(DataVolume.Source.Kind.PVC, "pvc-src"),
        under.dataVolume("pvc-clone").orElseThrow().source());
    assertEquals(2 * GI, restored.getVolume().getCapacityBytes());
    assertEquals(
        new DataVolume.Source(DataVolume.Source.Kind.SNAPSHOT, "snap-1"),
        under.dataVolume("pvc-restored").orElseThrow().source());
  }

  @Test
  void aSourceLargerThanTheLimitIsOutOfRangeAndAMissingOneNotFound() {
    controller.createVolume(create("pvc-src", 2 * GI, mount(Mode.SINGLE_NODE_WRITER)));
    var request =
        clone(create("pvc-clone", GI, mount(Mode.SINGLE_NODE_WRITER)), "pvc-src").toBuilder()
            .setCapacityRange(CapacityRange.newBuilder().setLimitBytes(GI))
            .build();
    assertCode(
        Status.Code.OUT_OF_RANGE,
        () -> controller.createVolume(request),
        "the source holds 2147483648 bytes, limit_bytes is 1073741824");
    assertCode(
        Status.Code.NOT_FOUND,
        () ->
            controller.createVolume(
                restore(create("pvc-r", GI, mount(Mode.SINGLE_NODE_WRITER)), "snap-none")),
        "snapshot snap-none does not exist");
  }

  // ---- expand, validate, list

  @Test
  void expansionRaisesTheRequestNeverShrinksAndOnlyFilesystemsGrowOnTheNode() {
    controller.createVolume(create("pvc-fs", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createVolume(create("pvc-raw", GI, block(Mode.SINGLE_NODE_WRITER)));

    var grown = controller.controllerExpandVolume(expand("pvc-fs", 2 * GI));
    var same = controller.controllerExpandVolume(expand("pvc-fs", GI));
    var raw = controller.controllerExpandVolume(expand("pvc-raw", 3 * GI));

    assertEquals(2 * GI, grown.getCapacityBytes());
    assertTrue(grown.getNodeExpansionRequired());
    assertEquals(2 * GI, same.getCapacityBytes());
    assertEquals(2 * GI, under.dataVolume("pvc-fs").orElseThrow().bytes(), "never shrunk");
    assertFalse(raw.getNodeExpansionRequired(), "a block volume has no filesystem to grow");
    assertEquals(3 * GI, under.dataVolume("pvc-raw").orElseThrow().bytes());
    assertCode(
        Status.Code.OUT_OF_RANGE,
        () ->
            controller.controllerExpandVolume(
                expand("pvc-fs", 4 * GI).toBuilder()
                    .setCapacityRange(
                        CapacityRange.newBuilder().setRequiredBytes(4 * GI).setLimitBytes(GI))
                    .build()),
        "required_bytes");
  }

  @Test
  void validateConfirmsWhatTheVolumeCanDoAndSaysWhatNot() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    var ok =
        controller.validateVolumeCapabilities(
            ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId("pvc-1")
                .addVolumeCapabilities(mount(Mode.SINGLE_NODE_WRITER))
                .build());
    var not =
        controller.validateVolumeCapabilities(
            ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId("pvc-1")
                .addVolumeCapabilities(mount(Mode.MULTI_NODE_MULTI_WRITER))
                .build());
    assertTrue(ok.hasConfirmed());
    assertFalse(not.hasConfirmed());
    assertTrue(not.getMessage().contains("block volumes only"), not.getMessage());
  }

  @Test
  void listPagesOurVolumesInNameOrder() {
    for (String n : List.of("pvc-c", "pvc-a", "pvc-b"))
      controller.createVolume(create(n, GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.put(blank("pvc-0-theirs", THEIRS));

    var first = controller.listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2).build());
    var rest =
        controller.listVolumes(
            ListVolumesRequest.newBuilder().setStartingToken(first.getNextToken()).build());

    assertEquals(
        List.of("pvc-a", "pvc-b"),
        first.getEntriesList().stream().map(e -> e.getVolume().getVolumeId()).toList());
    assertEquals(
        List.of("pvc-c"),
        rest.getEntriesList().stream().map(e -> e.getVolume().getVolumeId()).toList());
    assertEquals("", rest.getNextToken());
    assertCode(
        Status.Code.ABORTED,
        () -> controller.listVolumes(ListVolumesRequest.newBuilder().setStartingToken("9").build()),
        "");
  }

  // ---- publish, unpublish

  @Test
  void publishHotPlugsTheDataVolumeWithItsSerialOnceAndUnpublishUnplugsIt() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);

    var context = controller.controllerPublishVolume(publish("pvc-1", "worker-1", false));
    var again = controller.controllerPublishVolume(publish("pvc-1", "worker-1", false));

    assertEquals(
        Map.of("bus", "scsi", DiskSerial.PUBLISH_CONTEXT_KEY, DiskSerial.of("pvc-1")),
        context.getPublishContextMap());
    assertEquals(context, again);
    assertEquals(1, under.hotplugs(), "the second publish finds the disk and asks nothing");
    assertTrue(under.vm("worker-1").orElseThrow().requests("pvc-1"));

    controller.controllerUnpublishVolume(unpublish("pvc-1", "worker-1"));
    controller.controllerUnpublishVolume(unpublish("pvc-1", "worker-1"));
    assertFalse(under.vmi("worker-1").orElseThrow().holds("pvc-1"));
    assertFalse(under.vm("worker-1").orElseThrow().requests("pvc-1"));
  }

  @Test
  void aDiskPluggedWithAnotherSerialKeepsIt() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);
    under.addVolume(
        "worker-1",
        new io.kmetal.csi.infra.InfraCluster.Hotplug("pvc-1", "pvc-1", "virtio", false));

    var context = controller.controllerPublishVolume(publish("pvc-1", "worker-1", false));

    assertEquals("pvc-1", context.getPublishContextMap().get(DiskSerial.PUBLISH_CONTEXT_KEY));
  }

  @Test
  void aVolumePublishedReadWriteIsAlreadyExistsToAReadOnlyPublish() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);
    controller.controllerPublishVolume(publish("pvc-1", "worker-1", false));

    assertCode(
        Status.Code.ALREADY_EXISTS,
        () ->
            controller.controllerPublishVolume(
                publish("pvc-1", "worker-1", false).toBuilder().setReadonly(true).build()),
        "is published to worker-1 read-write; this request asks for read-only");
  }

  @Test
  void aReadWriteOnceVolumeIsNotAttachedToASecondVmButSharedBlockIs() {
    controller.createVolume(create("pvc-rwo", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createVolume(create("pvc-rwx", GI, block(Mode.MULTI_NODE_MULTI_WRITER)));
    under.addVm("worker-1", OURS, true);
    under.addVm("worker-2", OURS, true);
    controller.controllerPublishVolume(publish("pvc-rwo", "worker-1", false));
    controller.controllerPublishVolume(publish("pvc-rwx", "worker-1", true));

    assertCode(
        Status.Code.FAILED_PRECONDITION,
        () -> controller.controllerPublishVolume(publish("pvc-rwo", "worker-2", false)),
        "volume pvc-rwo is attached to [worker-1] and is ReadWriteOnce");
    controller.controllerPublishVolume(publish("pvc-rwx", "worker-2", true));
    assertTrue(under.vmi("worker-2").orElseThrow().holds("pvc-rwx"));
    assertFalse(under.vmi("worker-2").orElseThrow().holds("pvc-rwo"));
  }

  @Test
  void anotherTenantsVmIsNotFoundAndAStoppedOneAPrecondition() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-theirs", THEIRS, true);
    under.addVm("worker-stopped", OURS, false);

    assertCode(
        Status.Code.NOT_FOUND,
        () -> controller.controllerPublishVolume(publish("pvc-1", "worker-theirs", false)),
        "node worker-theirs is not a VM of this tenant cluster");
    assertCode(
        Status.Code.FAILED_PRECONDITION,
        () -> controller.controllerPublishVolume(publish("pvc-1", "worker-stopped", false)),
        "VM worker-stopped is not running (no VMI)");
    assertEquals(0, under.hotplugs());
  }

  @Test
  void kubeVirtsRefusalIsAPreconditionInItsOwnWords() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);
    under.refuseHotplug("Unable to add volume: the HotplugVolumes feature gate is not enabled");

    assertCode(
        Status.Code.FAILED_PRECONDITION,
        () -> controller.controllerPublishVolume(publish("pvc-1", "worker-1", false)),
        "HotplugVolumes feature gate is not enabled");
  }

  @Test
  void aDiskTheGuestNeverSeesIsDeadlineExceededWithTheVmisReport() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);
    under.stallHotplug();

    assertCode(
        Status.Code.DEADLINE_EXCEEDED,
        () -> controller.controllerPublishVolume(publish("pvc-1", "worker-1", false)),
        "volume pvc-1 not yet attached to worker-1; the VMI reports AttachedToNode the guest has"
            + " not seen the disk");
  }

  @Test
  void unpublishFromAVmThatIsGoneAsksItsInstanceAndAGoneNodeIsDetached() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);
    controller.controllerPublishVolume(publish("pvc-1", "worker-1", false));
    under.removeVm("worker-1");

    controller.controllerUnpublishVolume(unpublish("pvc-1", "worker-1"));
    controller.controllerUnpublishVolume(unpublish("pvc-1", "worker-none"));

    assertFalse(under.vmi("worker-1").orElseThrow().holds("pvc-1"));
  }

  @Test
  void publishChecksItsRequestBeforeTouchingAnything() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.addVm("worker-1", OURS, true);
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> controller.controllerPublishVolume(publish("pvc-1", "", false)),
        "node_id is required");
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () ->
            controller.controllerPublishVolume(
                publish("pvc-1", "worker-1", false).toBuilder().clearVolumeCapability().build()),
        "volume_capability is required");
    assertEquals(0, under.hotplugs());
  }

  // ---- snapshots

  @Test
  void aSnapshotTakesTheUnderClassTheTenantClassMapsToAndARetryFindsIt() {
    controller.createVolume(create("pvc-1", 2 * GI, mount(Mode.SINGLE_NODE_WRITER)));

    var first = controller.createSnapshot(snapshot("snap-1", "pvc-1", "tenant-other"));
    var again = controller.createSnapshot(snapshot("snap-1", "pvc-1", "tenant-other"));
    controller.createSnapshot(snapshot("snap-2", "pvc-1", ""));

    assertEquals(first, again);
    assertEquals("pvc-1", first.getSnapshot().getSourceVolumeId());
    assertEquals(2 * GI, first.getSnapshot().getSizeBytes());
    assertTrue(first.getSnapshot().getReadyToUse());
    var taken = under.snapshot("snap-1").orElseThrow();
    assertEquals("under-other", taken.snapshotClass());
    assertEquals(OURS, taken.labels());
    assertEquals(
        "under-snap",
        under.snapshot("snap-2").orElseThrow().snapshotClass(),
        "no class: the first mapped");
  }

  @Test
  void aSnapshotRequestThePlatformDoesNotMapIsInvalid() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> controller.createSnapshot(snapshot("snap-1", "pvc-1", "tenant-gold")),
        "tenant VolumeSnapshotClass tenant-gold is not mapped");
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () ->
            controller.createSnapshot(
                snapshot("snap-1", "pvc-1", "tenant-snap").toBuilder()
                    .putParameters("infraSnapshotClassName", "under-any")
                    .build()),
        "is not taken from a tenant's VolumeSnapshotClass");
    assertTrue(under.snapshots(Map.of()).isEmpty());
  }

  @Test
  void aSnapshotOfAnotherVolumeOrOfNoneIsRefused() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createVolume(create("pvc-2", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createSnapshot(snapshot("snap-1", "pvc-1", "tenant-snap"));

    assertCode(
        Status.Code.ALREADY_EXISTS,
        () -> controller.createSnapshot(snapshot("snap-1", "pvc-2", "tenant-snap")),
        "snapshot snap-1 exists of volume pvc-1, not of pvc-2");
    assertCode(
        Status.Code.NOT_FOUND,
        () -> controller.createSnapshot(snapshot("snap-2", "pvc-none", "tenant-snap")),
        "volume pvc-none does not exist");
  }

  @Test
  void aSnapshotOverTheQuotaIsResourceExhaustedNamingIt() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    under.limitSnapshots(1);
    controller.createSnapshot(snapshot("snap-1", "pvc-1", "tenant-snap"));

    assertCode(
        Status.Code.RESOURCE_EXHAUSTED,
        () -> controller.createSnapshot(snapshot("snap-2", "pvc-1", "tenant-snap")),
        "insufficient storage quota: the tenant's namespace tenant-alpha holds its maxSnapshots:"
            + " volumesnapshots \"snap-2\" is forbidden: exceeded quota");
  }

  @Test
  void listSnapshotsFiltersByIdOrSourceAndPagesWhileAnotherTenantsStayUnseenAndUntouched() {
    controller.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));
    controller.createVolume(create("pvc-2", GI, mount(Mode.SINGLE_NODE_WRITER)));
    for (var s : List.of("snap-a", "snap-b")) controller.createSnapshot(snapshot(s, "pvc-1", ""));
    controller.createSnapshot(snapshot("snap-c", "pvc-2", ""));
    under.put(new VolumeSnapshot("snap-theirs", THEIRS, "pvc-1", null, GI, true, Instant.now()));

    assertEquals(
        List.of("snap-a", "snap-b"),
        snapshotIds(ListSnapshotsRequest.newBuilder().setSourceVolumeId("pvc-1").build()));
    assertEquals(
        List.of("snap-c"),
        snapshotIds(ListSnapshotsRequest.newBuilder().setSnapshotId("snap-c").build()));
    assertEquals(
        List.of(),
        snapshotIds(ListSnapshotsRequest.newBuilder().setSnapshotId("snap-theirs").build()));
    var page = controller.listSnapshots(ListSnapshotsRequest.newBuilder().setMaxEntries(2).build());
    assertEquals(2, page.getEntriesCount());
    assertEquals(
        List.of("snap-c"),
        snapshotIds(
            ListSnapshotsRequest.newBuilder().setStartingToken(page.getNextToken()).build()));

    controller.deleteSnapshot(
        DeleteSnapshotRequest.newBuilder().setSnapshotId("snap-theirs").build());
    controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId("snap-a").build());
    controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId("snap-a").build());
    assertTrue(under.snapshot("snap-theirs").isPresent(), "another tenant's snapshot stays");
    assertTrue(under.snapshot("snap-a").isEmpty());
  }

  // ---- helpers

  private List<String> snapshotIds(ListSnapshotsRequest request) {
    return controller.listSnapshots(request).getEntriesList().stream()
        .map(e -> e.getSnapshot().getSnapshotId())
        .toList();
  }

  private static StatusRuntimeException assertCode(
      Status.Code code, Executable call, String described) {
    var e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(described), description);
    return e;
  }

  // ---- capabilities

  @Test
  void theCapabilitiesAreThePartsTheConfigurationTurnsOn() throws Exception {
    var off =
        serving(new ControllerConfig(NS, OURS, StorageClassPolicy.ALLOW_ALL, Map.of(), false));
    Set<RPC.Type> always =
        Set.of(
            RPC.Type.CREATE_DELETE_VOLUME,
            RPC.Type.LIST_VOLUMES,
            RPC.Type.CLONE_VOLUME,
            RPC.Type.EXPAND_VOLUME,
            RPC.Type.PUBLISH_UNPUBLISH_VOLUME,
            RPC.Type.PUBLISH_READONLY);

    Set<RPC.Type> snapshots = Set.of(RPC.Type.CREATE_DELETE_SNAPSHOT, RPC.Type.LIST_SNAPSHOTS);
    Set<RPC.Type> on = new java.util.HashSet<>(capabilities(controller));
    assertTrue(on.containsAll(snapshots), "snapshots on: " + on);
    on.removeAll(snapshots);
    assertEquals(always, on, "and the rest");
    assertEquals(always, capabilities(off));
  }

  @Test
  void withSnapshotsOffEverySnapshotCallIsUnimplementedAndARestoreInvalid() throws Exception {
    var off =
        serving(new ControllerConfig(NS, OURS, StorageClassPolicy.ALLOW_ALL, Map.of(), false));
    off.createVolume(create("pvc-1", GI, mount(Mode.SINGLE_NODE_WRITER)));

    String why = "snapshots are off for this tenant cluster";
    assertCode(
        Status.Code.UNIMPLEMENTED, () -> off.createSnapshot(snapshot("snap-1", "pvc-1", "")), why);
    assertCode(
        Status.Code.UNIMPLEMENTED,
        () ->
            off.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId("snap-1").build()),
        why);
    assertCode(
        Status.Code.UNIMPLEMENTED,
        () -> off.listSnapshots(ListSnapshotsRequest.getDefaultInstance()),
        why);
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> off.createVolume(restore(create("pvc-2", GI, mount(Mode.SINGLE_NODE_WRITER)), "s")),
        "volume_content_source: " + why);
    assertTrue(under.snapshots(Map.of()).isEmpty());
    assertTrue(under.dataVolume("pvc-2").isEmpty());
  }

  private static Set<RPC.Type> capabilities(ControllerGrpc.ControllerBlockingStub controller) {
    return controller
        .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
        .getCapabilitiesList()
        .stream()
        .map(c -> c.getRpc().getType())
        .collect(Collectors.toSet());
  }

  private static DataVolume blank(String name, Map<String, String> labels) {
    return DataVolume.requested(
        name, labels, GI, "fast", "ReadWriteOnce", false, DataVolume.Source.BLANK);
  }

  private static CreateVolumeRequest create(String name, long bytes, VolumeCapability capability) {
    return Requests.create(name, bytes, capability, "fast");
  }

  private static CreateVolumeRequest clone(CreateVolumeRequest request, String volume) {
    return request.toBuilder()
        .setVolumeContentSource(
            VolumeContentSource.newBuilder()
                .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(volume)))
        .build();
  }

  private static CreateVolumeRequest restore(CreateVolumeRequest request, String snapshot) {
    return request.toBuilder()
        .setVolumeContentSource(
            VolumeContentSource.newBuilder()
                .setSnapshot(
                    VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snapshot)))
        .build();
  }

  private static ControllerExpandVolumeRequest expand(String volume, long bytes) {
    return ControllerExpandVolumeRequest.newBuilder()
        .setVolumeId(volume)
        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
        .build();
  }

  private static ControllerPublishVolumeRequest publish(
      String volume, String node, boolean shared) {
    return ControllerPublishVolumeRequest.newBuilder()
        .setVolumeId(volume)
        .setNodeId(node)
        .setVolumeCapability(
            shared ? block(Mode.MULTI_NODE_MULTI_WRITER) : mount(Mode.SINGLE_NODE_WRITER))
        .build();
  }

  private static ControllerUnpublishVolumeRequest unpublish(String volume, String node) {
    return ControllerUnpublishVolumeRequest.newBuilder()
        .setVolumeId(volume)
        .setNodeId(node)
        .build();
  }

  private static CreateSnapshotRequest snapshot(String name, String volume, String tenantClass) {
    var request = CreateSnapshotRequest.newBuilder().setName(name).setSourceVolumeId(volume);
    if (!tenantClass.isEmpty()) request.putParameters("snapshotClass", tenantClass);
    return request.build();
  }
}

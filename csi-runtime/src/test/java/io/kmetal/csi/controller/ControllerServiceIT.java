package io.kmetal.csi.controller;

import static io.kmetal.csi.controller.Requests.block;
import static io.kmetal.csi.controller.Requests.mount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import csi.v1.ControllerGrpc;
import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.ControllerExpandVolumeRequest;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.ListVolumesRequest;
import csi.v1.Csi.ValidateVolumeCapabilitiesRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kmetal.csi.infra.DataVolume;
import io.kmetal.csi.infra.KubeInfraCluster;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.kubevirt.Kinds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller against the sandbox's under cluster (real API server, CDI's DataVolume CRD): the
 * objects {@link KubeInfraCluster} writes are what the API server takes and gives back. Every
 * branch of the service is {@code ControllerServiceTest}'s.
 */
class ControllerServiceIT {
  private static final String NS = "csi-controller-it";
  private static final Map<String, String> OURS = Map.of("csi.kubevirt.io/tenant-cluster", "it-a");

  private KubernetesClient under;
  private Server server;
  private ManagedChannel channel;
  private ControllerGrpc.ControllerBlockingStub controller;

  @BeforeEach
  void serve() throws Exception {
    under = Sandbox.running().under().client();
    under
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(controllerService(new ControllerConfig(NS, OURS)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
    controller = ControllerGrpc.newBlockingStub(channel);
  }

  /** The controller as {@code Main} composes it, with a short attach timeout for tests. */
  static ControllerService controllerService(ControllerConfig config) {
    // no CDI here: nothing would ever make the claim, so CreateVolume looks for a refusal once
    return ControllerService.over(
        infra(config.namespace()),
        config,
        "scsi",
        java.time.Duration.ZERO,
        java.time.Duration.ofSeconds(30));
  }

  /** The adapter over the sandbox's under cluster, as the controller command builds it. */
  static KubeInfraCluster infra(String namespace) {
    try {
      return new KubeInfraCluster(KubeClient.of(Sandbox.running().under().kubeconfig()), namespace);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void cleanup() {
    under.genericKubernetesResources(Kinds.DATA_VOLUME).inNamespace(NS).delete();
    channel.shutdownNow();
    server.shutdownNow();
    under.close();
  }

  private static CreateVolumeRequest create(String name, long bytes, VolumeCapability capability) {
    return Requests.create(name, bytes, capability, "tenant-storage-class");
  }

  private DataVolume dataVolumeRecord(String name) {
    return KubeInfraCluster.dataVolume(new ObjectMapper().valueToTree(dataVolume(name)));
  }

  private GenericKubernetesResource dataVolume(String name) {
    return under.genericKubernetesResources(Kinds.DATA_VOLUME).inNamespace(NS).withName(name).get();
  }

  @Test
  void createMakesALabelledBlankDataVolumeAndIsIdempotent() {
    var volume =
        controller
            .createVolume(create("pvc-1", 1L << 30, mount(Mode.SINGLE_NODE_WRITER)))
            .getVolume();
    assertEquals("pvc-1", volume.getVolumeId());
    assertEquals(1L << 30, volume.getCapacityBytes());
    assertEquals(
        volume,
        controller
            .createVolume(create("pvc-1", 1L << 30, mount(Mode.SINGLE_NODE_WRITER)))
            .getVolume());

    DataVolume dv = dataVolumeRecord("pvc-1");
    assertEquals(OURS, dv.labels());
    assertEquals("tenant-storage-class", dv.storageClass());
    assertEquals("ReadWriteOnce", dv.accessMode());
    assertFalse(dv.block());
    assertEquals(DataVolume.Source.BLANK, dv.source());
  }

  @Test
  void theSameNameWithAnotherSizeIsAlreadyExists() {
    controller.createVolume(create("pvc-2", 1L << 30, mount(Mode.SINGLE_NODE_WRITER)));
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                controller.createVolume(create("pvc-2", 2L << 30, mount(Mode.SINGLE_NODE_WRITER))));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
  }

  @Test
  void manyWritersOnlyForBlock() {
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                controller.createVolume(
                    create("pvc-3", 1L << 30, mount(Mode.MULTI_NODE_MULTI_WRITER))));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("block volumes only"));
    controller.createVolume(create("pvc-3", 1L << 30, block(Mode.MULTI_NODE_MULTI_WRITER)));
    DataVolume dv = dataVolumeRecord("pvc-3");
    assertEquals("ReadWriteMany", dv.accessMode());
    assertTrue(dv.block());
  }

  @Test
  void anotherTenantsVolumeIsNotFoundAndNeverDeleted() {
    under
        .genericKubernetesResources(Kinds.DATA_VOLUME)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("cdi.kubevirt.io/v1beta1")
                .withKind("DataVolume")
                .withNewMetadata()
                .withName("pvc-theirs")
                .withNamespace(NS)
                .withLabels(Map.of("csi.kubevirt.io/tenant-cluster", "it-b"))
                .endMetadata()
                .addToAdditionalProperties(
                    "spec",
                    Map.of(
                        "source", Map.of("blank", Map.of()),
                        "storage",
                            Map.of("resources", Map.of("requests", Map.of("storage", "1Gi")))))
                .build())
        .create();
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                controller.validateVolumeCapabilities(
                    ValidateVolumeCapabilitiesRequest.newBuilder()
                        .setVolumeId("pvc-theirs")
                        .addVolumeCapabilities(mount(Mode.SINGLE_NODE_WRITER))
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("pvc-theirs").build());
    assertNotNull(dataVolume("pvc-theirs"), "another tenant's volume is never deleted");
    var taken =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                controller.createVolume(
                    create("pvc-theirs", 1L << 30, mount(Mode.SINGLE_NODE_WRITER))));
    assertEquals(Status.Code.ALREADY_EXISTS, taken.getStatus().getCode(), "never adopted");
    assertTrue(
        controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList().isEmpty());
  }

  @Test
  void expansionRaisesTheDataVolumesRequestAndNeverShrinksIt() {
    controller.createVolume(create("pvc-x", 1L << 30, mount(Mode.SINGLE_NODE_WRITER)));
    var grown =
        controller.controllerExpandVolume(
            ControllerExpandVolumeRequest.newBuilder()
                .setVolumeId("pvc-x")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2L << 30))
                .build());
    assertEquals(2L << 30, grown.getCapacityBytes());
    assertTrue(grown.getNodeExpansionRequired(), "a filesystem volume grows on the node too");
    assertEquals(2L << 30, dataVolumeRecord("pvc-x").bytes());
    var same =
        controller.controllerExpandVolume(
            ControllerExpandVolumeRequest.newBuilder()
                .setVolumeId("pvc-x")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1L << 30))
                .build());
    assertEquals(2L << 30, same.getCapacityBytes());
    assertEquals(2L << 30, dataVolumeRecord("pvc-x").bytes());
    var e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                controller.controllerExpandVolume(
                    ControllerExpandVolumeRequest.newBuilder()
                        .setVolumeId("pvc-none")
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1L << 30))
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void listPagesAndDeleteIsIdempotent() {
    for (String n : List.of("pvc-a", "pvc-b", "pvc-c"))
      controller.createVolume(create(n, 1L << 30, mount(Mode.SINGLE_NODE_WRITER)));
    var first = controller.listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2).build());
    assertEquals(2, first.getEntriesCount());
    var rest =
        controller.listVolumes(
            ListVolumesRequest.newBuilder().setStartingToken(first.getNextToken()).build());
    assertEquals("pvc-c", rest.getEntries(0).getVolume().getVolumeId());
    assertEquals("", rest.getNextToken());

    controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("pvc-a").build());
    controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("pvc-a").build());
    assertNull(dataVolume("pvc-a"));
  }
}

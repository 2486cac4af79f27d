package io.kmetal.storage.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.model.KubeconfigSecretRef;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.PvcTemplate;
import io.kmetal.storage.model.StoragePoolSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.WebhookSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Problem;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FleetFileTest {
  private static final String WELL_FORMED =
      """
      storageTiers:
        - name: gold
          storageClassName: ocs-gold
          isDefault: true
          backend:
            cephRbd:
              clusterID: ceph
              pool: rbd
        - name: local
          role: platform
          backend:
            localPath:
              nodePathMap:
                - node: c1
                  paths: [/var/data]
      tenantStorages:
        - name: alpha
          storageQuota: 10Gi
          clusters:
            - name: alpha-prod
            - name: alpha-dev
              kubeconfigSecret: {name: dev-kubeconfig}
        - name: beta
          namespace: team-beta
          storageQuota: 1Ti
          bus: virtio
          clusters: [{name: beta-prod}]
          images: {controller: 'registry.example.com/ctl:v2'}
          webhook: {failurePolicy: Fail, timeoutSeconds: 10}
      hppOverlays:
        - name: vm-state
          storagePools:
            - name: nfs
              path: /nfs
              pvcTemplate:
                accessModes: [ReadWriteMany]
                storageClassName: nfs-csi
                resources: {requests: {storage: 10Gi}}
      """;

  @Test
  void readsWellFormedFileIntoTheRecords() {
    Fleet expected =
        new Fleet(
            List.of(
                StorageTierSpec.builder()
                    .name("gold")
                    .storageClassName("ocs-gold")
                    .isDefault(true)
                    .backend(
                        Backend.cephRbd(
                            CephRbdBackend.builder().clusterID("ceph").pool("rbd").build()))
                    .build(),
                StorageTierSpec.builder()
                    .name("local")
                    .role("platform")
                    .backend(
                        Backend.localPath(
                            new LocalPathBackend(
                                List.of(new NodePaths("c1", List.of("/var/data"))))))
                    .build()),
            List.of(
                TenantStorageSpec.builder()
                    .name("alpha")
                    .storageQuota("10Gi")
                    .clusters(
                        TenantClusterSpec.named("alpha-prod"),
                        new TenantClusterSpec(
                            "alpha-dev", new KubeconfigSecretRef("dev-kubeconfig", null), null))
                    .build(),
                TenantStorageSpec.builder()
                    .name("beta")
                    .namespace("team-beta")
                    .storageQuota("1Ti")
                    .bus("virtio")
                    .clusters(TenantClusterSpec.named("beta-prod"))
                    .images(Images.builder().controller("registry.example.com/ctl:v2").build())
                    .webhook(WebhookSpec.builder().failurePolicy("Fail").timeoutSeconds(10).build())
                    .build()),
            List.of(
                HppOverlaySpec.builder()
                    .name("vm-state")
                    .storagePools(
                        new StoragePoolSpec(
                            "nfs",
                            "/nfs",
                            null,
                            null,
                            new PvcTemplate(
                                List.of("ReadWriteMany"),
                                "nfs-csi",
                                null,
                                new PvcTemplate.Resources(new PvcTemplate.Requests("10Gi")))))
                    .build()));

    assertEquals(expected, FleetFile.parse(WELL_FORMED, "fleet.yaml"));
  }

  @Test
  void appliesTheDocumentedDefaults() {
    Fleet fleet = FleetFile.parse(WELL_FORMED, "fleet.yaml");

    StorageTierSpec gold = fleet.storageTiers().get(0);
    assertEquals("Retain", gold.reclaimPolicy());
    assertEquals("WaitForFirstConsumer", gold.volumeBindingMode());
    assertEquals(true, gold.allowVolumeExpansion());
    assertEquals(List.of(), gold.mountOptions());
    assertEquals(CephRbdBackend.DEFAULT_PROVISIONER, gold.backend().cephRbd().provisioner());
    assertEquals(CephRbdBackend.DEFAULT_IMAGE_FEATURES, gold.backend().cephRbd().imageFeatures());
    assertEquals("ext4", gold.backend().cephRbd().fsType());
    StorageTierSpec local = fleet.storageTiers().get(1);
    assertEquals("local", local.storageClassName());
    assertEquals(false, local.isDefault());

    TenantStorageSpec alpha = fleet.tenantStorages().get(0);
    assertEquals("alpha", alpha.namespace());
    assertEquals("tenant-storage-class", alpha.infraStorageClassName());
    assertEquals("kubevirt", alpha.tenantStorageClassName());
    assertEquals("scsi", alpha.bus());
    assertEquals(2, alpha.controllerReplicas());
    assertEquals(Images.DEFAULTS, alpha.images());
    assertEquals(WebhookSpec.DEFAULTS, alpha.webhook());
    TenantClusterSpec prod = alpha.clusters().get(0);
    assertEquals(
        new KubeconfigSecretRef("alpha-prod-admin-kubeconfig", "admin.conf"),
        prod.kubeconfigSecret());
    assertEquals(Map.of(TenantClusterSpec.CLUSTER_LABEL, "alpha-prod"), prod.labels());
    assertEquals(
        new KubeconfigSecretRef("dev-kubeconfig", "admin.conf"),
        alpha.clusters().get(1).kubeconfigSecret());
    TenantStorageSpec beta = fleet.tenantStorages().get(1);
    assertEquals(Images.DEFAULTS.node(), beta.images().node());
    assertEquals(true, beta.webhook().enabled());
    assertEquals(2, beta.webhook().replicas());

    StoragePoolSpec pool = fleet.hppOverlays().get(0).storagePools().get(0);
    assertEquals("hpp-overlay", pool.overlayClassName());
    assertEquals("10Gi", pool.pvcTemplate().storage());
  }

  @Test
  void refusesUnknownFieldNamingItsPathAndTheKnownFields() {
    String yaml =
        """
        storageTiers:
          - name: local
            role: platform
            backend:
              localPath:
                nodePathmap:
                  - {node: c1, paths: [/var/data]}
        """;

    Problem p = refused(yaml);

    assertEquals("storageTiers[0].backend.localPath.nodePathmap", p.field());
    assertTrue(p.message().contains("unknown field \"nodePathmap\""), p.message());
    assertTrue(p.message().contains("known fields here: nodePathMap"), p.message());
    assertTrue(p.message().contains("(line "), p.message());
  }

  @Test
  void refusesUnknownTopLevelFieldListingTheSections() {
    Problem p = refused("storageTier: []\n");

    assertEquals("storageTier", p.field());
    assertTrue(p.message().contains("hppOverlays, storageTiers, tenantStorages"), p.message());
  }

  @Test
  void refusesListWhereAStringIsExpectedNamingThePath() {
    Problem p = refused("tenantStorages:\n  - name: alpha\n    clusters:\n      - name: [a, b]\n");

    assertEquals("tenantStorages[0].clusters[0].name", p.field());
    assertTrue(p.message().contains("cannot read this value"), p.message());
    assertTrue(p.message().contains("line 4"), p.message());
  }

  @Test
  void refusesMapWhereAListIsExpected() {
    Problem p = refused("storageTiers: {name: gold}\n");

    assertEquals("storageTiers", p.field());
  }

  @Test
  void refusesTextWhereANumberIsExpected() {
    Problem p = refused("tenantStorages:\n  - {name: alpha, controllerReplicas: two}\n");

    assertEquals("tenantStorages[0].controllerReplicas", p.field());
    assertTrue(p.message().contains("\"two\""), p.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "# only a comment\n", "~\n", "---\n"})
  void refusesEmptyFile(String yaml) {
    Problem p = refused(yaml);

    assertEquals("(file)", p.field());
    assertTrue(p.message().contains("fleet.yaml is empty"), p.message());
    assertTrue(p.message().contains("storageTiers, tenantStorages or hppOverlays"), p.message());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "storageTiers: [\n",
        "storageTiers:\n  - name: a: b\n",
        "storageTiers:\n  - name: a\n   role: platform\n",
        "tenantStorages:\n  - name: alpha\n\tnamespace: alpha\n"
      })
  void refusesInvalidYaml(String yaml) {
    Problem p = refused(yaml);

    assertEquals("(file)", p.field());
    assertTrue(p.message().contains("fleet.yaml is not valid YAML (line "), p.message());
  }

  @Test
  void refusesDuplicateKey() {
    Problem p = refused("storageTiers:\n  - name: gold\n    name: silver\n");

    assertEquals("(file)", p.field());
    assertTrue(p.message().contains("Duplicate field 'name'"), p.message());
    assertTrue(p.message().contains("line 3"), p.message());
  }

  @Test
  void keepsEmptyListEntriesForTheValidatorToReport() {
    Fleet fleet =
        FleetFile.parse(
            "storageTiers:\n  - \ntenantStorages:\n  - name: alpha\n    clusters:\n      - \n",
            "fleet.yaml");

    assertEquals(Arrays.asList((StorageTierSpec) null), fleet.storageTiers());
    assertEquals(Arrays.asList((TenantClusterSpec) null), fleet.tenantStorages().get(0).clusters());
  }

  @Test
  void reportsASingleProblemWithTheSourceInTheMessage() {
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> FleetFile.parse("", "/tmp/my-fleet.yaml"));

    assertEquals(1, e.problems().size());
    assertTrue(e.getMessage().contains("/tmp/my-fleet.yaml is empty"), e.getMessage());
  }

  private static Problem refused(String yaml) {
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> FleetFile.parse(yaml, "fleet.yaml"));
    assertEquals(1, e.problems().size(), e.problems()::toString);
    return e.problems().get(0);
  }
}

package io.kmetal.storage.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.validation.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenant snapshot classes and the under-cluster classes behind them, as a fleet renders them. */
class SnapshotMappingTest {
  private static final String TENANT =
      "tenantStorages: [{name: alpha, storageQuota: 10Gi, clusters: [{name: prod}]%s}]\n";

  private static Fleet fleet(String tier, String tenantFields) {
    return Fixtures.yaml("storageTiers:\n  - " + tier + "\n" + TENANT.formatted(tenantFields));
  }

  private static final String RBD_INFRA =
      "{name: tenant-storage-class, role: tenant, backend: {cephRbd: {clusterID: c, pool: p}},"
          + " snapshotClass: {name: rbd-snap, isDefault: true}}";

  private static final String LOCAL_INFRA =
      "{name: tenant-storage-class, role: tenant, backend: {localPath: {nodePathMap: [{node: w1,"
          + " paths: [/var/t]}]}}}";

  private static ConfigMap driverConfig(List<Manifest> out) {
    return (ConfigMap)
        out.stream()
            .filter(m -> m.kind().equals("ConfigMap") && m.key().contains("kubevirt-csi"))
            .findFirst()
            .orElseThrow()
            .object();
  }

  @Test
  void aTenantOnATierThatSnapshotsGetsItsClassMappedToTheTiers() {
    List<Manifest> out = FleetRenderer.render(fleet(RBD_INFRA, ""));
    var tenantClass =
        (GenericKubernetesResource)
            out.stream()
                .filter(m -> !m.target().isUnder() && m.kind().equals("VolumeSnapshotClass"))
                .findFirst()
                .orElseThrow()
                .object();
    assertEquals("kubevirt-snapshot", tenantClass.getMetadata().getName());
    assertEquals(
        Map.of("snapshotClass", "kubevirt-snapshot"),
        tenantClass.getAdditionalProperties().get("parameters"));
    assertEquals(
        "true",
        tenantClass
            .getMetadata()
            .getAnnotations()
            .get("snapshot.storage.kubernetes.io/is-default-class"));
    ConfigMap config = driverConfig(out);
    assertEquals("kubevirt-snapshot=rbd-snap", config.getData().get("infraSnapshotClasses"));
    assertEquals(List.of(), FleetRenderer.snapshotNotes(fleet(RBD_INFRA, "")));
  }

  @Test
  void aTenantOnLocalPathGetsNoSnapshotClassAndANote() {
    Fleet f = fleet(LOCAL_INFRA, "");
    List<Manifest> out = FleetRenderer.render(f);
    assertTrue(out.stream().noneMatch(m -> m.kind().equals("VolumeSnapshotClass")));
    ConfigMap config = driverConfig(out);
    assertTrue(!config.getData().containsKey("infraSnapshotClasses"), "nothing is mapped");
    List<String> notes = FleetRenderer.snapshotNotes(f);
    assertEquals(1, notes.size());
    assertTrue(
        notes.get(0).contains("tenantStorages alpha") && notes.get(0).contains("local-path"));
  }

  @Test
  void aMappingToAClassTheFleetDoesNotDeclareIsRefused() {
    var problems =
        Validator.validate(
            fleet(
                RBD_INFRA,
                ", snapshotClasses: [{name: kubevirt-snapshot, infraSnapshotClassName: nope}]"));
    assertEquals(1, problems.size(), problems::toString);
    assertEquals(
        "tenantStorages[0].snapshotClasses[0].infraSnapshotClassName", problems.get(0).field());
    assertTrue(
        problems.get(0).message().contains("\"nope\" is not a snapshot class of this fleet"));
  }
}

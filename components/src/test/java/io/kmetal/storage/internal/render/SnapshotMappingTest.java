package io.kmetal.storage.internal.render;

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
  void theWebhookCountsTheSnapshotsOfTheTenantsClassesAgainstMaxSnapshots() {
    List<Manifest> out = FleetRenderer.render(fleet(RBD_INFRA, ", maxSnapshots: 7"));
    var quota = (io.fabric8.kubernetes.api.model.ResourceQuota) only(out, "ResourceQuota").object();
    assertEquals(
        "7",
        quota.getSpec().getHard().get("count/volumesnapshots.snapshot.storage.k8s.io").toString());
    var webhook =
        (io.fabric8.kubernetes.api.model.apps.Deployment)
            out.stream()
                .filter(m -> m.kind().equals("Deployment") && m.key().contains("kmetal-webhook"))
                .findFirst()
                .orElseThrow()
                .object();
    assertTrue(
        webhook
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getArgs()
            .contains("--tenant-snapshot-class=kubevirt-snapshot"));
    var configuration =
        (io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration)
            only(out, "ValidatingWebhookConfiguration").object();
    var rules = configuration.getWebhooks().get(0).getRules();
    assertEquals(List.of("persistentvolumeclaims"), rules.get(0).getResources());
    assertEquals(List.of("volumesnapshots"), rules.get(1).getResources());
    assertEquals(List.of("CREATE", "DELETE"), rules.get(1).getOperations());
    var role =
        (io.fabric8.kubernetes.api.model.rbac.Role) only(out, "Role", "kmetal-webhook").object();
    assertTrue(
        role.getRules().stream()
            .anyMatch(
                r ->
                    r.getResources().equals(List.of("volumesnapshots"))
                        && r.getVerbs().equals(List.of("list", "watch"))),
        role.getRules().toString());
  }

  @Test
  void withoutSnapshotClassesTheWebhookLeavesSnapshotsAlone() {
    List<Manifest> out = FleetRenderer.render(fleet(LOCAL_INFRA, ""));
    var configuration =
        (io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration)
            only(out, "ValidatingWebhookConfiguration").object();
    assertEquals(1, configuration.getWebhooks().get(0).getRules().size());
    var role =
        (io.fabric8.kubernetes.api.model.rbac.Role) only(out, "Role", "kmetal-webhook").object();
    assertTrue(
        role.getRules().stream().noneMatch(r -> r.getResources().contains("volumesnapshots")));
  }

  private static Manifest only(List<Manifest> out, String kind, String... keyContains) {
    List<Manifest> found =
        out.stream()
            .filter(m -> m.kind().equals(kind))
            .filter(m -> keyContains.length == 0 || m.key().contains(keyContains[0]))
            .toList();
    assertEquals(1, found.size(), kind + " " + found);
    return found.get(0);
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

  @Test
  void
      aTenantWithSnapshotsOffGetsNoSnapshotterNoSnapshotRightsAndNoClassEvenOnATierThatSnapshots() {
    Fleet off = fleet(RBD_INFRA, ", snapshots: false");
    List<Manifest> out = FleetRenderer.render(off);

    assertEquals("false", driverConfig(out).getData().get("snapshots"));
    assertEquals(null, driverConfig(out).getData().get("infraSnapshotClasses"));
    var controller =
        (io.fabric8.kubernetes.api.model.apps.Deployment)
            only(out, "Deployment", "kubevirt-csi-controller").object();
    assertEquals(
        List.of("csi-driver", "csi-provisioner", "csi-attacher", "csi-resizer"),
        controller.getSpec().getTemplate().getSpec().getContainers().stream()
            .map(io.fabric8.kubernetes.api.model.Container::getName)
            .toList());
    assertTrue(
        out.stream()
            .filter(m -> m.kind().equals("Role") || m.kind().equals("ClusterRole"))
            .flatMap(m -> rules(m).stream())
            .noneMatch(
                r ->
                    r.getApiGroups().contains("snapshot.storage.k8s.io")
                        && !r.getResources().equals(List.of("volumesnapshots"))),
        "no rights on snapshot classes or contents anywhere");
    assertTrue(
        out.stream()
            .noneMatch(m -> m.kind().equals("VolumeSnapshotClass") && !m.target().isUnder()));
    assertEquals(List.of(), FleetRenderer.snapshotNotes(off), "no note: the tenant chose it");
    assertEquals(
        "true",
        driverConfig(FleetRenderer.render(fleet(RBD_INFRA, ""))).getData().get("snapshots"));
  }

  @Test
  void snapshotClassesWithSnapshotsOffAreRefusedNamingTheField() {
    var problems =
        Validator.validate(
            fleet(
                RBD_INFRA,
                ", snapshots: false, snapshotClasses: [{name: kubevirt-snapshot,"
                    + " infraSnapshotClassName: rbd-snap}]"));
    assertEquals(1, problems.size(), problems::toString);
    assertEquals("tenantStorages[0].snapshotClasses", problems.get(0).field());
    assertTrue(problems.get(0).message().startsWith("must be empty when snapshots is false"));
  }

  private static List<io.fabric8.kubernetes.api.model.rbac.PolicyRule> rules(Manifest m) {
    return m.object() instanceof io.fabric8.kubernetes.api.model.rbac.Role role
        ? role.getRules()
        : ((io.fabric8.kubernetes.api.model.rbac.ClusterRole) m.object()).getRules();
  }
}

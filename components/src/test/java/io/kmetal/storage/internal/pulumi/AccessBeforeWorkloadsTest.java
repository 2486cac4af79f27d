package io.kmetal.storage.internal.pulumi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.Fixtures;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AccessBeforeWorkloadsTest {
  private final List<Manifest> fleet = FleetRenderer.render(Fixtures.acceptanceFleet());
  private final Wiring wiring = AccessBeforeWorkloads.INSTANCE;

  private Manifest find(String kind, String name) {
    return fleet.stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " is not rendered"));
  }

  private Set<String> waitsFor(Manifest m) {
    return new TreeSet<>(wiring.dependsOn(m, fleet));
  }

  @Test
  void theLocalPathProvisionerWaitsForItsAccountRolesAndConfigMap() {
    Set<String> waits = waitsFor(find("Deployment", "local-path-provisioner"));
    for (Manifest m :
        List.of(
            find("ServiceAccount", "local-path-provisioner-service-account"),
            find("ClusterRole", "local-path-provisioner-role"),
            find("ClusterRoleBinding", "local-path-provisioner-bind"),
            find("Role", "local-path-provisioner-role"),
            find("RoleBinding", "local-path-provisioner-bind"),
            find("ConfigMap", "local-path-config")))
      assertTrue(waits.contains(ManifestResources.logicalName(m)), m.key() + " in " + waits);
  }

  @Test
  void aWorkloadWaitsOnlyForObjectsRegisteredFirstOnItsOwnClusterAndNamespace() {
    List<Manifest> workloads =
        fleet.stream().filter(m -> Set.of("Deployment", "DaemonSet").contains(m.kind())).toList();
    assertTrue(workloads.size() >= 4, "the fleet renders the controllers, webhook and plugins");
    for (Manifest workload : workloads) {
      List<String> waits = wiring.dependsOn(workload, fleet);
      assertTrue(!waits.isEmpty(), workload.key() + " waits for its access");
      for (String name : waits) {
        Manifest access =
            fleet.stream()
                .filter(m -> ManifestResources.logicalName(m).equals(name))
                .findFirst()
                .orElseThrow();
        assertTrue(wiring.first(access), access.key() + " is registered before " + workload.key());
        assertEquals(workload.target(), access.target(), access.key());
        assertTrue(
            access.namespace() == null || access.namespace().equals(workload.namespace()),
            workload.key() + " waits for " + access.key() + " of another namespace");
      }
    }
  }

  @Test
  void nothingButAWorkloadWaits() {
    for (Manifest m : fleet)
      if (!Set.of("Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob").contains(m.kind()))
        assertEquals(List.of(), wiring.dependsOn(m, fleet), m.key());
  }
}

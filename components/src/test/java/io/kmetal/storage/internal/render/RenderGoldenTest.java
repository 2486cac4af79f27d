package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden manifests for the acceptance fleet and for each component's objects alone. */
class RenderGoldenTest {
  @Test
  void acceptanceFleetRendersAsGolden() throws IOException {
    GoldenFiles.assertMatches("fleet", FleetRenderer.render(Fixtures.acceptanceFleet()));
  }

  /** The design's whole tier hierarchy, from examples/tier-hierarchy/fleet.yaml. */
  @Test
  void theTierHierarchyRendersAsGolden() throws IOException {
    Path file =
        io.kmetal.storage.testbed.Sandbox.projectRoot()
            .resolve("examples/tier-hierarchy/fleet.yaml");
    GoldenFiles.assertMatches(
        "tier-hierarchy", FleetRenderer.render(io.kmetal.storage.fleet.FleetFile.load(file)));
  }

  @Test
  void renderingIsDeterministic() {
    Fleet fleet = Fixtures.acceptanceFleet();
    assertEquals(
        GoldenFiles.asText(FleetRenderer.render(fleet)),
        GoldenFiles.asText(FleetRenderer.render(Fixtures.acceptanceFleet())));
  }

  @Test
  void cephRbdTierAloneRendersAsGolden() throws IOException {
    StorageTierSpec gold = tier("gold");
    GoldenFiles.assertMatches("storage-tier-ceph-rbd", StorageTierRenderer.render(gold, "unused"));
  }

  @Test
  void localPathTierAloneGetsItsOwnProvisioner() throws IOException {
    StorageTierSpec tenantClass = tier("tenant-storage-class");
    LocalPathRenderer.Instance instance =
        LocalPathRenderer.Instance.forClass(tenantClass.storageClassName());
    List<Manifest> manifests =
        new ArrayList<>(StorageTierRenderer.render(tenantClass, instance.provisionerName()));
    manifests.addAll(LocalPathRenderer.render(instance, List.of(tenantClass)));
    GoldenFiles.assertMatches("storage-tier-local-path", manifests);
  }

  @Test
  void tenantStorageAloneRendersAsGolden() throws IOException {
    TenantStorageSpec alpha = Fixtures.acceptanceFleet().tenantStorages().get(0);
    GoldenFiles.assertMatches("tenant-storage", TenantStorageRenderer.render(alpha));
  }

  @Test
  void hppOverlayAloneRendersAsGolden() throws IOException {
    HppOverlaySpec overlay = Fixtures.acceptanceFleet().hppOverlays().get(0);
    GoldenFiles.assertMatches("hpp-overlay", HppOverlayRenderer.render(overlay));
  }

  private static StorageTierSpec tier(String name) {
    return Fixtures.acceptanceFleet().storageTiers().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}

package io.kmetal.storage.internal.pulumi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.Fixtures;
import io.kmetal.storage.internal.render.HppOverlayRenderer;
import io.kmetal.storage.internal.render.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;

class HppAvailableWiringTest {
  private final List<Manifest> manifests =
      HppOverlayRenderer.render(Fixtures.acceptanceFleet().hppOverlays().get(0));
  private final Wiring wiring = HppAvailableWiring.of(Fixtures.acceptanceFleet().hppOverlays());

  private Manifest kind(String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).findFirst().orElseThrow();
  }

  @Test
  void theKubeVirtSettingWaitsForTheProvisionerWhichIsRegisteredFirst() {
    Manifest provisioner = kind("HostPathProvisioner");
    assertEquals(
        List.of(ManifestResources.logicalName(provisioner)),
        wiring.dependsOn(kind("KubeVirt"), manifests));
    assertTrue(wiring.first(provisioner));
    assertEquals(List.of(), wiring.dependsOn(kind("VolumeSnapshotClass"), manifests));
  }

  @Test
  void withoutAnOverlayNothingWaits() {
    assertEquals(Wiring.NONE, HppAvailableWiring.of(List.of()));
  }
}

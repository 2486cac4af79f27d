package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.KubeVirtRef;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureGatesTest {
  private static final KubeVirtRef CR = KubeVirtRef.DEFAULT;

  private static TenantStorageSpec tenant(String kubevirt) {
    return Fixtures.yaml(
            "tenantStorages: [{name: alpha, storageQuota: 1Gi, clusters: [{name: a}]"
                + (kubevirt == null ? "" : ", kubevirt: " + kubevirt)
                + "}]")
        .tenantStorages()
        .get(0);
  }

  @Test
  void aTenantNeedsTheDeclarativeHotPlugGateAndWhatItAdds() {
    assertEquals(List.of("DeclarativeHotplugVolumes"), FeatureGates.of(tenant(null)));
    assertEquals(
        List.of("DeclarativeHotplugVolumes", "Snapshot"),
        FeatureGates.of(tenant("{featureGates: [Snapshot, DeclarativeHotplugVolumes]}")));
    assertEquals(List.of(), FeatureGates.of(tenant("{manageFeatureGates: false}")));
  }

  @Test
  void theOverlayNeedsNoGateOnKubevirt19() {
    assertEquals(List.of(), FeatureGates.of(Fixtures.acceptanceFleet().hppOverlays().get(0)));
  }

  @Test
  void mergeKeepsTheClustersGatesInTheirOrderAndAddsWhatIsMissing() {
    assertEquals(
        List.of("VMExport", "Snapshot", "DeclarativeHotplugVolumes"),
        FeatureGates.merge(
            CR,
            List.of("VMExport", "Snapshot"),
            List.of(),
            List.of("Snapshot", "DeclarativeHotplugVolumes")));
    assertEquals(
        List.of("DeclarativeHotplugVolumes"),
        FeatureGates.merge(CR, List.of(), List.of(), List.of("DeclarativeHotplugVolumes")));
  }

  @Test
  void mergeRefusesAGateTheOperatorDisabled() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                FeatureGates.merge(
                    CR,
                    List.of("Snapshot"),
                    List.of("DeclarativeHotplugVolumes"),
                    List.of("DeclarativeHotplugVolumes")));
    assertTrue(e.getMessage().contains("kubevirt/kubevirt disables DeclarativeHotplugVolumes"));
    assertTrue(e.getMessage().contains("disabledFeatureGates"));
  }

  @Test
  void theRenderNoteNamesTheGatesTheCrAndAnAppendOnlyPatch() {
    String note = FeatureGates.renderNote(CR, List.of("DeclarativeHotplugVolumes"), "tenants x");
    assertTrue(
        note.contains("tenants x needs the KubeVirt feature gates DeclarativeHotplugVolumes"));
    assertTrue(
        note.contains(
            "kubectl -n kubevirt patch kubevirt kubevirt --type=json -p '[{\"op\":\"add\","
                + "\"path\":\"/spec/configuration/developerConfiguration/featureGates/-\","
                + "\"value\":\"DeclarativeHotplugVolumes\"}]'"),
        note);
  }

  @Test
  void thePatchSetsOnlyTheGateList() {
    Manifest patch =
        FeatureGates.patch(CR, List.of("DeclarativeHotplugVolumes"), java.util.Map.of());
    assertEquals(Ownership.PATCH, patch.ownership());
    assertEquals("KubeVirt/kubevirt/kubevirt", patch.key());
  }
}

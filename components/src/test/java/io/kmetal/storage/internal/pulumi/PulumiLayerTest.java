package io.kmetal.storage.internal.pulumi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pulumi.core.Output;
import com.pulumi.core.internal.Internal;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.Ownership;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Type tokens, logical names, options and secrecy of the Pulumi layer. */
class PulumiLayerTest {
  private final List<Manifest> fleet = FleetRenderer.render(Fixtures.acceptanceFleet());

  @Test
  void typeTokensFollowThePulumiKubernetesScheme() {
    Manifest quota = find("ResourceQuota");
    Manifest sc = find("StorageClass");
    Manifest kubevirt = find("KubeVirt");
    assertEquals("kubernetes:core/v1:ResourceQuota", KubernetesObject.typeToken(quota));
    assertEquals("kubernetes:storage.k8s.io/v1:StorageClass", KubernetesObject.typeToken(sc));
    assertEquals("kubernetes:kubevirt.io/v1:KubeVirtPatch", KubernetesObject.typeToken(kubevirt));
  }

  @Test
  void logicalNamesAreUniqueAcrossTheFleet() {
    Set<String> seen = new HashSet<>();
    for (Manifest m : fleet) {
      assertTrue(
          seen.add(KubernetesObject.typeToken(m) + " " + ManifestResources.logicalName(m)),
          ManifestResources.logicalName(m));
    }
  }

  @Test
  void everyRenderedFieldIsCarriedToPulumi() {
    for (Manifest m : fleet) {
      Map<String, Object> plain = KubernetesObject.plain(m);
      assertTrue(
          KubernetesObjectArgs.FIELDS.containsAll(plain.keySet()),
          m.key() + " has " + plain.keySet());
      KubernetesObjectArgs.of(plain, Map.of());
    }
  }

  @Test
  void unknownTopLevelFieldIsRefusedNotDropped() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KubernetesObjectArgs.of(
                    Map.of("kind", "Secret", "stringData", Map.of()), Map.of()));
    assertTrue(e.getMessage().contains("stringData"));
  }

  @Test
  void numbersBecomeIntegersPulumiCanSerialize() {
    Manifest controller =
        fleet.stream()
            .filter(
                m ->
                    m.name().equals("kubevirt-csi-controller-alpha-prod")
                        && m.kind().equals("Deployment"))
            .findFirst()
            .orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) KubernetesObject.plain(controller).get("spec");
    assertEquals(Integer.valueOf(2), spec.get("replicas"));
  }

  @Test
  void immutableFieldsAreReplaceOnChangeAndPatchesAreRetained() {
    var sc = ManifestResources.options(null, find("StorageClass"), null).build();
    assertEquals(
        List.of("provisioner", "parameters", "reclaimPolicy", "volumeBindingMode"),
        sc.getReplaceOnChanges());
    var csiDriver = ManifestResources.options(null, find("CSIDriver"), null).build();
    assertEquals(List.of("spec"), csiDriver.getReplaceOnChanges());
    var patch = ManifestResources.options(null, find("StorageProfile"), null).build();
    assertEquals(Ownership.PATCH, find("StorageProfile").ownership());
    assertTrue(patch.getReplaceOnChanges().isEmpty());
    assertTrue(patch.isRetainOnDelete());
  }

  @Test
  void tenantKubeconfigBecomesSecretEvenWhenPassedInPlainText() {
    var args = ClusterProviders.providerArgs(Output.of("apiVersion: v1\nkind: Config\n"));
    Output<String> kubeconfig = args.kubeconfig().orElseThrow();
    assertTrue(Internal.of(kubeconfig).isSecret().join());
  }

  private Manifest find(String kind) {
    return fleet.stream().filter(m -> m.kind().equals(kind)).findFirst().orElseThrow();
  }
}

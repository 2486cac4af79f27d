package io.kmetal.storage.internal.pulumi;

import com.pulumi.core.Output;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.HppOverlaySpec;
import java.util.List;
import java.util.Map;

/**
 * KubeVirt's {@code vmStateStorageClass} is set only once the HostPathProvisioner is Available (the
 * operator reports it when its pools, and so their overlay classes, are built): pulumi-kubernetes
 * awaits the CR's {@code Available} condition ({@code pulumi.com/waitFor}) for the overlay's {@code
 * availableTimeoutSeconds} ({@code pulumi.com/timeoutSeconds}), and the KubeVirt patch depends on
 * the CR. A HostPathProvisioner that never becomes Available fails {@code pulumi up} on the CR, and
 * KubeVirt is left as it was.
 */
public final class HppAvailableWiring implements Wiring {
  static final String AVAILABLE = "condition=Available";

  private final int timeoutSeconds;

  private HppAvailableWiring(int timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The wiring of {@code overlays} (at most one: the CR is a cluster singleton). */
  public static Wiring of(List<HppOverlaySpec> overlays) {
    return overlays.isEmpty()
        ? Wiring.NONE
        : new HppAvailableWiring(overlays.get(0).availableTimeoutSeconds());
  }

  @Override
  public boolean first(Manifest m) {
    return isProvisioner(m);
  }

  @Override
  public Map<String, Output<Object>> inputs(Manifest m, Map<String, KubernetesObject> registered) {
    if (!isProvisioner(m)) return Map.of();
    return Map.of(
        "metadata",
        KubernetesObject.metadataAnnotated(
            m,
            Map.of(
                KubernetesObject.WAIT_FOR,
                AVAILABLE,
                KubernetesObject.TIMEOUT,
                String.valueOf(timeoutSeconds))));
  }

  @Override
  public List<String> dependsOn(Manifest m, List<Manifest> all) {
    if (!m.kind().equals("KubeVirt")) return List.of();
    return all.stream()
        .filter(HppAvailableWiring::isProvisioner)
        .map(ManifestResources::logicalName)
        .toList();
  }

  private static boolean isProvisioner(Manifest m) {
    return m.kind().equals("HostPathProvisioner");
  }
}

package io.kmetal.storage;

import com.pulumi.core.Output;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Inputs of {@link StoragePlatform}: the whole fleet (what a fleet file for {@code kmetal render}
 * holds) and, per tenant cluster, the kubeconfig its objects are applied with (always treated as a
 * Pulumi secret), keyed by the tenant's under-cluster namespace and the cluster's name.
 */
public record StoragePlatformArgs(Fleet fleet, Map<Target, Output<String>> kubeconfigs) {
  public StoragePlatformArgs {
    Objects.requireNonNull(fleet, "fleet");
    kubeconfigs = Map.copyOf(kubeconfigs);
  }

  public static Builder builder(Fleet fleet) {
    return new Builder(fleet);
  }

  public static final class Builder {
    private final Fleet fleet;
    private final Map<Target, Output<String>> kubeconfigs = new LinkedHashMap<>();

    private Builder(Fleet fleet) {
      this.fleet = fleet;
    }

    /** The kubeconfig of tenant cluster {@code cluster} of the tenant in {@code namespace}. */
    public Builder kubeconfig(String namespace, String cluster, Output<String> kubeconfig) {
      kubeconfigs.put(Target.tenant(namespace, cluster), kubeconfig);
      return this;
    }

    public StoragePlatformArgs build() {
      return new StoragePlatformArgs(fleet, kubeconfigs);
    }
  }
}

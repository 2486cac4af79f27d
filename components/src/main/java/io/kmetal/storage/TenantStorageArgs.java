package io.kmetal.storage;

import com.pulumi.core.Output;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Inputs of {@link TenantStorage}: the tenant's spec and, per tenant cluster, the kubeconfig its
 * objects are applied with (always treated as a Pulumi secret).
 */
public record TenantStorageArgs(TenantStorageSpec spec, Map<String, Output<String>> kubeconfigs) {
  public TenantStorageArgs {
    Objects.requireNonNull(spec, "spec");
    kubeconfigs = Map.copyOf(kubeconfigs);
  }

  /** These args, the spec named {@code name} when it has no name (the component's name). */
  public TenantStorageArgs namedIfUnnamed(String name) {
    TenantStorageSpec named = spec.namedIfUnnamed(name);
    return named == spec ? this : new TenantStorageArgs(named, kubeconfigs);
  }

  /** The kubeconfigs keyed by the tenant cluster they reach. */
  public Map<Target, Output<String>> kubeconfigsByTarget() {
    Map<Target, Output<String>> out = new LinkedHashMap<>();
    kubeconfigs.forEach((cluster, k) -> out.put(Target.tenant(spec.namespace(), cluster), k));
    return out;
  }

  public static Builder builder(TenantStorageSpec spec) {
    return new Builder(spec);
  }

  public static final class Builder {
    private final TenantStorageSpec spec;
    private final Map<String, Output<String>> kubeconfigs = new LinkedHashMap<>();

    private Builder(TenantStorageSpec spec) {
      this.spec = spec;
    }

    /** The kubeconfig of tenant cluster {@code cluster}. */
    public Builder kubeconfig(String cluster, Output<String> kubeconfig) {
      kubeconfigs.put(cluster, kubeconfig);
      return this;
    }

    public TenantStorageArgs build() {
      return new TenantStorageArgs(spec, kubeconfigs);
    }
  }
}

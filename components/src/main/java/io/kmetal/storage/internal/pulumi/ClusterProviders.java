package io.kmetal.storage.internal.pulumi;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.kmetal.storage.model.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes provider for each target: the under cluster's is inherited from the component's
 * own options; each tenant cluster gets a provider built from its kubeconfig, kept secret.
 */
public final class ClusterProviders {
  private final Resource parent;
  private final Map<Target, Output<String>> kubeconfigs;
  private final Map<Target, Provider> tenants = new LinkedHashMap<>();

  /**
   * @param kubeconfigs each tenant cluster's kubeconfig
   */
  public ClusterProviders(Resource parent, Map<Target, Output<String>> kubeconfigs) {
    this.parent = Objects.requireNonNull(parent, "parent");
    this.kubeconfigs = Map.copyOf(kubeconfigs);
  }

  /** Null for the under cluster (inherit the component's provider); a tenant provider otherwise. */
  Provider forTarget(Target target) {
    if (target.isUnder()) return null;
    return tenants.computeIfAbsent(target, this::tenantProvider);
  }

  private Provider tenantProvider(Target target) {
    Output<String> kubeconfig = kubeconfigs.get(target);
    if (kubeconfig == null) { // the components validate this before registering anything
      throw new IllegalArgumentException(
          "no kubeconfig for tenant cluster " + target + ": its objects are applied with it");
    }
    return new Provider(
        target.tenantNamespace() + "-" + target.cluster(),
        providerArgs(kubeconfig),
        CustomResourceOptions.builder().parent(parent).build());
  }

  /** The kubeconfig is made secret here, whatever the caller passed. */
  static ProviderArgs providerArgs(Output<String> kubeconfig) {
    return ProviderArgs.builder().kubeconfig(kubeconfig.asSecret()).build();
  }
}

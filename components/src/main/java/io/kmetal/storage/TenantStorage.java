package io.kmetal.storage;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import io.kmetal.storage.internal.pulumi.ClusterProviders;
import io.kmetal.storage.internal.pulumi.FeatureGatePatch;
import io.kmetal.storage.internal.pulumi.GeneratedCertificateWiring;
import io.kmetal.storage.internal.pulumi.ManifestResources;
import io.kmetal.storage.internal.pulumi.TenantCredentialsWiring;
import io.kmetal.storage.internal.pulumi.Wiring;
import io.kmetal.storage.internal.render.ControllerRenderer;
import io.kmetal.storage.internal.render.FeatureGates;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.ResourceQuotaRenderer;
import io.kmetal.storage.internal.render.TenantStorageRenderer;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One tenant: its storage quota, quota webhook and per-cluster CSI controllers in the under
 * cluster, and in each tenant cluster the CSI node plugin, the {@code kubevirt} StorageClass and
 * the webhook configuration. Tenant objects are applied with a provider built from each cluster's
 * kubeconfig, which stays a secret. Unless a CA bundle is given, the webhook's certificate is
 * generated here: its secret is created once and kept, and the configurations trust its CA.
 */
public final class TenantStorage extends ComponentResource {
  public static final String TYPE = "kmetal-storage:index:TenantStorage";

  @Export(name = "namespace", refs = String.class)
  private final Output<String> namespace;

  @Export(name = "quotaName", refs = String.class)
  private final Output<String> quotaName;

  @Export(name = "storageClassName", refs = String.class)
  private final Output<String> storageClassName;

  @Export(
      name = "controllerDeployments",
      refs = {List.class, String.class},
      tree = "[0,1]")
  private final Output<List<String>> controllerDeployments;

  /**
   * @param args a spec without a {@code name} takes {@code name}
   * @throws InvalidSpecException before anything is registered, listing every problem
   */
  public TenantStorage(String name, TenantStorageArgs args, ComponentResourceOptions options) {
    this(args.namedIfUnnamed(name), name, options);
  }

  private TenantStorage(TenantStorageArgs args, String name, ComponentResourceOptions options) {
    super(TYPE, name, checked(name, args, options));
    TenantStorageSpec spec = args.spec();
    List<Manifest> manifests = new ArrayList<>(TenantStorageRenderer.render(spec));
    Wiring wiring =
        Wiring.all(
            GeneratedCertificateWiring.issue(List.of(spec), manifests),
            TenantCredentialsWiring.issue(this, List.of(spec), manifests));
    ManifestResources.register(
        this, manifests, new ClusterProviders(this, args.kubeconfigsByTarget()), wiring);
    FeatureGatePatch.register(this, name, spec.kubevirt(), FeatureGates.of(spec));
    this.namespace = Output.of(spec.namespace());
    this.quotaName = Output.of(ResourceQuotaRenderer.name(spec));
    this.storageClassName = Output.of(spec.tenantStorageClassName());
    this.controllerDeployments =
        Output.of(
            spec.clusters().stream()
                .map(c -> ControllerRenderer.deploymentName(c.name()))
                .toList());
    registerOutputs(
        Map.of(
            "namespace", namespace,
            "quotaName", quotaName,
            "storageClassName", storageClassName,
            "controllerDeployments", controllerDeployments));
  }

  public TenantStorage(String name, TenantStorageArgs args) {
    this(name, args, null);
  }

  /** Validates before the component itself is registered, so bad input registers nothing. */
  private static ComponentResourceOptions checked(
      String name, TenantStorageArgs args, ComponentResourceOptions options) {
    TenantStorageSpec spec = args.spec();
    List<Problem> problems = new ArrayList<>(Validator.validate(spec));
    for (int i = 0; i < spec.clusters().size(); i++) {
      TenantClusterSpec c = spec.clusters().get(i);
      if (c != null && !args.kubeconfigs().containsKey(c.name())) {
        problems.add(
            new Problem(
                "clusters[" + i + "].kubeconfig",
                "is required: the tenant cluster's objects are applied with it"));
      }
    }
    InvalidSpecException.throwIfAny("TenantStorage \"" + name + "\"", problems);
    return options;
  }

  public Output<String> namespace() {
    return namespace;
  }

  public Output<String> quotaName() {
    return quotaName;
  }

  public Output<String> storageClassName() {
    return storageClassName;
  }

  public Output<List<String>> controllerDeployments() {
    return controllerDeployments;
  }
}

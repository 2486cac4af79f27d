package io.kmetal.storage;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import io.kmetal.storage.internal.pulumi.ClusterProviders;
import io.kmetal.storage.internal.pulumi.FeatureGatePatch;
import io.kmetal.storage.internal.pulumi.GeneratedCertificateWiring;
import io.kmetal.storage.internal.pulumi.HppAvailableWiring;
import io.kmetal.storage.internal.pulumi.ManifestResources;
import io.kmetal.storage.internal.pulumi.TenantCredentialsWiring;
import io.kmetal.storage.internal.pulumi.Wiring;
import io.kmetal.storage.internal.render.FeatureGates;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StoragePoolSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole platform in one component: its tiers, tenants and HPP overlay, held to the same
 * cross-object rules as {@code kmetal render} (one default class, disjoint platform and tenant node
 * maps, unique names) and rendered into the same objects (one shared local-path provisioner, the
 * fleet's snapshot-class defaults), so a fleet moves between {@code kmetal render} and {@code
 * pulumi up} without a replacement. Beyond the rendered objects it adds what only a deployment can:
 * each generated webhook certificate, and one feature-gate merge per KubeVirt CR.
 */
public final class StoragePlatform extends ComponentResource {
  public static final String TYPE = "kmetal-storage:index:StoragePlatform";

  @Export(
      name = "storageClassNames",
      refs = {List.class, String.class},
      tree = "[0,1]")
  private final Output<List<String>> storageClassNames;

  @Export(
      name = "tenantNamespaces",
      refs = {List.class, String.class},
      tree = "[0,1]")
  private final Output<List<String>> tenantNamespaces;

  @Export(
      name = "overlayClassNames",
      refs = {List.class, String.class},
      tree = "[0,1]")
  private final Output<List<String>> overlayClassNames;

  /**
   * @throws InvalidSpecException before anything is registered, listing every problem
   */
  public StoragePlatform(String name, StoragePlatformArgs args, ComponentResourceOptions options) {
    super(TYPE, name, checked(name, args, options));
    Fleet fleet = args.fleet();
    List<Manifest> manifests = new ArrayList<>(FleetRenderer.render(fleet));
    Wiring wiring =
        Wiring.all(
            GeneratedCertificateWiring.issue(fleet.tenantStorages(), manifests),
            TenantCredentialsWiring.issue(this, fleet.tenantStorages(), manifests),
            HppAvailableWiring.of(fleet.hppOverlays()));
    ManifestResources.register(
        this, manifests, new ClusterProviders(this, args.kubeconfigs()), wiring);
    for (FeatureGates.Need need : FeatureGates.of(fleet))
      FeatureGatePatch.register(this, name, need.kubevirt(), need.gates());
    this.storageClassNames =
        Output.of(fleet.storageTiers().stream().map(StorageTierSpec::storageClassName).toList());
    this.tenantNamespaces =
        Output.of(fleet.tenantStorages().stream().map(TenantStorageSpec::namespace).toList());
    this.overlayClassNames =
        Output.of(
            fleet.hppOverlays().stream()
                .map(HppOverlaySpec::storagePools)
                .flatMap(List::stream)
                .map(StoragePoolSpec::overlayClassName)
                .toList());
    registerOutputs(
        Map.of(
            "storageClassNames", storageClassNames,
            "tenantNamespaces", tenantNamespaces,
            "overlayClassNames", overlayClassNames));
  }

  public StoragePlatform(String name, StoragePlatformArgs args) {
    this(name, args, null);
  }

  /** Validates before the component itself is registered, so bad input registers nothing. */
  private static ComponentResourceOptions checked(
      String name, StoragePlatformArgs args, ComponentResourceOptions options) {
    Fleet fleet = args.fleet();
    List<Problem> problems = new ArrayList<>(Validator.validate(fleet));
    for (int t = 0; t < fleet.tenantStorages().size(); t++) {
      TenantStorageSpec tenant = fleet.tenantStorages().get(t);
      if (tenant == null) continue;
      for (int c = 0; c < tenant.clusters().size(); c++) {
        TenantClusterSpec cluster = tenant.clusters().get(c);
        if (cluster != null
            && !args.kubeconfigs().containsKey(Target.tenant(tenant.namespace(), cluster.name())))
          problems.add(
              new Problem(
                  "tenantStorages[" + t + "].clusters[" + c + "].kubeconfig",
                  "is required: the tenant cluster's objects are applied with it"));
      }
    }
    InvalidSpecException.throwIfAny("StoragePlatform \"" + name + "\"", problems);
    return options;
  }

  public Output<List<String>> storageClassNames() {
    return storageClassNames;
  }

  public Output<List<String>> tenantNamespaces() {
    return tenantNamespaces;
  }

  public Output<List<String>> overlayClassNames() {
    return overlayClassNames;
  }
}

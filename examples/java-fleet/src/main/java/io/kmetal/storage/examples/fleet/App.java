package io.kmetal.storage.examples.fleet;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResourceOptions;
import io.kmetal.storage.HppOverlay;
import io.kmetal.storage.StorageTier;
import io.kmetal.storage.TenantStorage;
import io.kmetal.storage.TenantStorageArgs;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.WebhookSpec;
import io.kmetal.storage.model.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deploys the acceptance fleet with the components: tiers and overlays to the under cluster, each
 * tenant's objects to its under-cluster namespace and its tenant clusters.
 *
 * <p>Config: {@code underKubeconfig} (path), {@code tenantKubeconfigs} (object: cluster name to
 * kubeconfig path), {@code alphaQuota} (default 10Gi), optionally {@code webhookUrl} (where tenant
 * API servers reach alpha's quota webhook) and {@code webhookCaBundle} (the CA of a secret you
 * bring; without it the component issues the certificate), {@code hppAvailableTimeoutSeconds} (how
 * long the overlay waits for the HostPathProvisioner to be Available; default 600).
 */
public final class App {
  private App() {}

  public static void main(String[] args) {
    Pulumi.run(App::stack);
  }

  static void stack(Context ctx) {
    var config = ctx.config();
    // the demo runs alpha's quota webhook as a local process: its URL (and a CA, if you bring one)
    WebhookSpec webhook =
        config
            .get("webhookUrl")
            .map(
                url ->
                    WebhookSpec.builder()
                        .url(url)
                        .caBundle(config.get("webhookCaBundle").orElse(null))
                        .build())
            .orElse(WebhookSpec.DEFAULTS);
    Fleet fleet = AcceptanceFleet.fleet(config.get("alphaQuota").orElse("10Gi"), webhook);
    // Fleet-wide rules (one default class, the path-map split) before any component registers.
    Validator.requireValid(fleet);

    @SuppressWarnings("unchecked")
    Map<String, String> tenantKubeconfigs = config.requireObject("tenantKubeconfigs", Map.class);
    var under =
        new Provider(
            "under",
            ProviderArgs.builder()
                .kubeconfig(secretFile(config.require("underKubeconfig")))
                .build());
    var onUnder = ComponentResourceOptions.builder().providers(under).build();

    List<Output<String>> classes = new ArrayList<>();
    for (StorageTierSpec tier : fleet.storageTiers()) {
      classes.add(new StorageTier(tier.name(), tier, onUnder).storageClassName());
    }
    for (TenantStorageSpec tenant : fleet.tenantStorages()) {
      var args = TenantStorageArgs.builder(tenant);
      for (TenantClusterSpec cluster : tenant.clusters()) {
        String path = tenantKubeconfigs.get(cluster.name());
        if (path == null) {
          throw new IllegalArgumentException(
              "config tenantKubeconfigs."
                  + cluster.name()
                  + " is missing: give its kubeconfig path");
        }
        args.kubeconfig(cluster.name(), secretFile(path));
      }
      var storage = new TenantStorage(tenant.name(), args.build(), onUnder);
      ctx.export(tenant.name() + "Quota", storage.quotaName());
      ctx.export(tenant.name() + "Controllers", storage.controllerDeployments());
    }
    Integer hppTimeout = config.getInteger("hppAvailableTimeoutSeconds").orElse(null);
    for (HppOverlaySpec declared : fleet.hppOverlays()) {
      HppOverlaySpec overlay =
          new HppOverlaySpec(
              declared.name(),
              declared.featureGates(),
              declared.storagePools(),
              declared.workload(),
              declared.kubevirt(),
              hppTimeout);
      ctx.export(
          "overlayClasses", new HppOverlay(overlay.name(), overlay, onUnder).overlayClassNames());
    }
    ctx.export("storageClasses", Output.all(classes));
  }

  private static Output<String> secretFile(String path) {
    try {
      return Output.ofSecret(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + path, e);
    }
  }
}

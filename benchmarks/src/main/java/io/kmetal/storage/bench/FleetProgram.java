package io.kmetal.storage.bench;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.pulumi.kubernetes.Provider;
import com.pulumi.kubernetes.ProviderArgs;
import com.pulumi.resources.ComponentResourceOptions;
import io.kmetal.storage.TenantStorage;
import io.kmetal.storage.TenantStorageArgs;
import io.kmetal.storage.internal.pulumi.ManifestResources;
import io.kmetal.storage.internal.render.TenantStorageRenderer;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.WebhookSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Pulumi program {@link PulumiFleetBenchmark} runs: N tenants of one cluster each, declared
 * either through the {@code TenantStorage} component ({@code mode: components}) or as the same
 * objects registered directly as pulumi-kubernetes resources, without components ({@code mode:
 * direct}; the same options, providers and dependencies on the tenant's Namespace, no parent).
 * Every tenant's cluster is the one sandbox tenant cluster: cluster-scoped tenant objects are then
 * shared, which both modes do alike.
 */
public final class FleetProgram {
  private FleetProgram() {}

  public static void main(String[] args) {
    Pulumi.run(FleetProgram::stack);
  }

  static void stack(Context ctx) {
    var config = ctx.config();
    int tenants = config.requireInteger("tenants");
    boolean components = config.require("mode").equals("components");
    Output<String> tenantKubeconfig = secretFile(config.require("tenantKubeconfig"));
    var under =
        new Provider(
            "under",
            ProviderArgs.builder()
                .kubeconfig(secretFile(config.require("underKubeconfig")))
                .build());
    for (TenantStorageSpec tenant : tenants(tenants)) {
      String cluster = tenant.clusters().get(0).name();
      if (components) {
        new TenantStorage(
            tenant.name(),
            TenantStorageArgs.builder(tenant).kubeconfig(cluster, tenantKubeconfig).build(),
            ComponentResourceOptions.builder().providers(under).build());
      } else {
        var provider =
            new Provider(
                tenant.namespace() + "-" + cluster,
                ProviderArgs.builder().kubeconfig(tenantKubeconfig).build());
        ManifestResources.register(
            null, TenantStorageRenderer.render(tenant), t -> t.isUnder() ? under : provider);
      }
    }
  }

  static List<TenantStorageSpec> tenants(int count) {
    List<TenantStorageSpec> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(
          TenantStorageSpec.builder()
              .name("bench-" + i)
              .createNamespace(true)
              .storageQuota("100Gi")
              .clusters(TenantClusterSpec.named("bench"))
              .webhook(
                  WebhookSpec.builder()
                      .url("https://kmetal-webhook.bench.svc/validate-pvc")
                      .build())
              .build());
    }
    return list;
  }

  private static Output<String> secretFile(String path) {
    try {
      return Output.ofSecret(Files.readString(Path.of(path)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.List;

/** Everything one tenant needs, in the under cluster and in each of its tenant clusters. */
public final class TenantStorageRenderer {
  private TenantStorageRenderer() {}

  public static List<Manifest> render(TenantStorageSpec tenant) {
    List<Manifest> out = new ArrayList<>();
    if (tenant.createNamespace()) {
      out.add(
          Manifest.under(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(tenant.namespace())
                  .withLabels(
                      Labels.privilegedNamespace(
                          Labels.of("tenant-namespace", tenant.name(), "namespace")))
                  .endMetadata()
                  .build()));
    }
    out.add(ResourceQuotaRenderer.render(tenant));
    out.addAll(WebhookRenderer.renderUnder(tenant));
    for (TenantClusterSpec cluster : tenant.clusters()) {
      out.addAll(ControllerRenderer.render(tenant, cluster));
    }
    for (TenantClusterSpec cluster : tenant.clusters()) {
      out.addAll(TenantCredentialsRenderer.render(tenant, cluster));
      out.addAll(NodeRenderer.render(tenant, cluster));
      out.addAll(WebhookRenderer.renderTenant(tenant, cluster));
    }
    return out;
  }
}

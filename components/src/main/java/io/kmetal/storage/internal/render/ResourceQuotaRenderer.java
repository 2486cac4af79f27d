package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.Map;

/**
 * The hard ceiling: a ResourceQuota on the infra class's storage requests and claim count, and on
 * the VolumeSnapshots, in the tenant's namespace, enforced by the under cluster's API server
 * whatever happens in the tenant clusters.
 */
public final class ResourceQuotaRenderer {
  static final String NAME = "storage-quota";
  static final String COMPONENT = "quota";

  /**
   * The labels every tenant's quota carries and nothing else does (its instance label is the
   * tenant): how {@code kmetal usage} finds the tenants.
   */
  public static final Map<String, String> SELECTOR =
      Map.of(Labels.NAME, NAME, Labels.COMPONENT, COMPONENT);

  private ResourceQuotaRenderer() {}

  public static String name(TenantStorageSpec tenant) {
    return tenant.name() + "-storage";
  }

  public static Manifest render(TenantStorageSpec tenant) {
    return Manifest.under(
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName(name(tenant))
            .withNamespace(tenant.namespace())
            .withLabels(Labels.of(NAME, tenant.name(), COMPONENT))
            .endMetadata()
            .withNewSpec()
            .addToHard(tenant.quotaResource(), new Quantity(tenant.storageQuota()))
            .addToHard(tenant.volumeCountResource(), new Quantity(tenant.maxVolumes().toString()))
            .addToHard(
                TenantStorageSpec.SNAPSHOT_COUNT_RESOURCE,
                new Quantity(tenant.maxSnapshots().toString()))
            .endSpec()
            .build());
  }
}

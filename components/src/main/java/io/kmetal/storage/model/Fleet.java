package io.kmetal.storage.model;

import java.util.List;

/** A whole platform: what a fleet file holds and what a set of component instances declares. */
public record Fleet(
    List<StorageTierSpec> storageTiers,
    List<TenantStorageSpec> tenantStorages,
    List<HppOverlaySpec> hppOverlays) {
  public Fleet {
    storageTiers = Defaults.list(storageTiers);
    tenantStorages = Defaults.list(tenantStorages);
    hppOverlays = Defaults.list(hppOverlays);
  }
}

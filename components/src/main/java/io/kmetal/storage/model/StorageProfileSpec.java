package io.kmetal.storage.model;

import java.util.List;

/**
 * The CDI StorageProfile pin for a class: CDI uses these claim properties instead of what the
 * driver advertises first (keep RWO + Filesystem when a vendor CSI advertises RWX + Block).
 */
public record StorageProfileSpec(List<ClaimPropertySet> claimPropertySets) {
  public StorageProfileSpec {
    claimPropertySets = Defaults.list(claimPropertySets);
  }
}

package io.kmetal.storage.model;

import java.util.List;

/**
 * One StorageClass tier of the under cluster.
 *
 * <p>Defaults: {@code storageClassName} = {@code name}, {@code reclaimPolicy} = Retain (data
 * survives a deleted claim unless asked otherwise), {@code volumeBindingMode} =
 * WaitForFirstConsumer, {@code allowVolumeExpansion} = true, {@code isDefault} = false.
 *
 * @param role {@code platform}, {@code tenant} or null: local-path tiers of the two roles must map
 *     disjoint node sets (the control plane vs. the tenant workers).
 */
public record StorageTierSpec(
    String name,
    String storageClassName,
    String description,
    String role,
    Boolean isDefault,
    String reclaimPolicy,
    String volumeBindingMode,
    Boolean allowVolumeExpansion,
    List<String> mountOptions,
    Backend backend,
    StorageProfileSpec storageProfile,
    SnapshotClassSpec snapshotClass) {

  public StorageTierSpec {
    storageClassName = Defaults.or(storageClassName, name);
    isDefault = Defaults.or(isDefault, false);
    reclaimPolicy = Defaults.or(reclaimPolicy, "Retain");
    volumeBindingMode = Defaults.or(volumeBindingMode, "WaitForFirstConsumer");
    allowVolumeExpansion = Defaults.or(allowVolumeExpansion, true);
    mountOptions = Defaults.list(mountOptions);
  }

  public boolean isLocalPath() {
    return backend != null && backend.localPath() != null;
  }
}

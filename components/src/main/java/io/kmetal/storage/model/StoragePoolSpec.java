package io.kmetal.storage.model;

/**
 * One HostPathProvisioner storage pool. With a {@code pvcTemplate} on an RWX class the operator
 * mounts one shared volume on every node and builds the overlay class {@code overlayClassName}
 * (default hpp-overlay) on it.
 */
public record StoragePoolSpec(
    String name,
    String path,
    String snapshotProvider,
    String overlayClassName,
    PvcTemplate pvcTemplate) {
  public StoragePoolSpec {
    overlayClassName = Defaults.or(overlayClassName, "hpp-overlay");
  }
}

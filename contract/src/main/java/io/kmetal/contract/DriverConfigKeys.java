package io.kmetal.contract;

/**
 * The keys of the driver ConfigMap the controller mounts as {@code --driver-config} (one file per
 * key).
 */
public final class DriverConfigKeys {
  private DriverConfigKeys() {}

  /** The tenant's namespace in the under cluster, where its DataVolumes live. */
  public static final String INFRA_CLUSTER_NAMESPACE = "infraClusterNamespace";

  /** {@code k=v,k2=v2}: the labels that mark the tenant cluster's objects there. */
  public static final String INFRA_CLUSTER_LABELS = "infraClusterLabels";

  /** YAML: which under-cluster storage classes the tenant may name. */
  public static final String INFRA_STORAGE_CLASS_ENFORCEMENT = "infraStorageClassEnforcement";

  /**
   * {@code tenant-class=under-class,...}: the under-cluster class of each tenant snapshot class.
   */
  public static final String INFRA_SNAPSHOT_CLASSES = "infraSnapshotClasses";

  /**
   * {@code true} or {@code false}: whether the tenant's clusters take snapshots. Off, the
   * controller advertises no snapshot capability and refuses snapshot calls; unset means on.
   */
  public static final String SNAPSHOTS = "snapshots";
}

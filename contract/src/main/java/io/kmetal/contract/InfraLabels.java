package io.kmetal.contract;

/** Labels on what the driver creates in the under cluster for a tenant cluster. */
public final class InfraLabels {
  private InfraLabels() {}

  /**
   * The tenant cluster a DataVolume (and the claim CDI makes for it) belongs to: the default of
   * each cluster's {@code labels}, which the webhook's per-cluster gauges and {@code kmetal usage}
   * group by.
   */
  public static final String TENANT_CLUSTER = "csi.kubevirt.io/tenant-cluster";
}

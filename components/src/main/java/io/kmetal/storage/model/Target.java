package io.kmetal.storage.model;

/**
 * The cluster a manifest is applied to: the under cluster, or one tenant cluster identified by its
 * tenant's under-cluster namespace and its name.
 */
public record Target(String tenantNamespace, String cluster) {
  public static final Target UNDER = new Target(null, null);

  public static Target tenant(String tenantNamespace, String cluster) {
    return new Target(tenantNamespace, cluster);
  }

  public boolean isUnder() {
    return cluster == null;
  }

  /**
   * The folder the render CLI writes to: {@code under} or {@code tenants/<namespace>/<cluster>}.
   */
  public String folder() {
    return isUnder() ? "under" : "tenants/" + tenantNamespace + "/" + cluster;
  }

  @Override
  public String toString() {
    return isUnder() ? "under" : tenantNamespace + "/" + cluster;
  }
}

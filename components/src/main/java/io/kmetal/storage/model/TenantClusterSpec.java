package io.kmetal.storage.model;

import java.util.Map;

/**
 * One tenant cluster whose workers are KubeVirt VMs in the tenant's under-cluster namespace.
 *
 * <p>The kubeconfig used to apply tenant-side objects is a Pulumi secret input of the component; it
 * never enters this record, the rendered manifests or a fleet file.
 *
 * @param labels the labels that mark this cluster's DataVolumes and VMs in the under cluster
 *     (default {@code csi.kubevirt.io/tenant-cluster: <name>}); the driver treats anything without
 *     them as not found.
 */
public record TenantClusterSpec(
    String name, KubeconfigSecretRef kubeconfigSecret, Map<String, String> labels) {
  public static final String CLUSTER_LABEL = io.kmetal.contract.InfraLabels.TENANT_CLUSTER;

  /** A cluster with the default kubeconfig secret reference and labels. */
  public static TenantClusterSpec named(String name) {
    return new TenantClusterSpec(name, null, null);
  }

  public TenantClusterSpec {
    kubeconfigSecret =
        kubeconfigSecret == null
            ? KubeconfigSecretRef.kamajiDefault(name)
            : kubeconfigSecret.withDefaultsFor(name);
    labels =
        labels == null || labels.isEmpty()
            ? Map.of(CLUSTER_LABEL, String.valueOf(name))
            : Defaults.map(labels);
  }
}

package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The VM behind a tenant cluster's worker, as the cluster's driver ConfigMap (rendered by
 * TenantStorage into the under cluster) places it: in {@code infraClusterNamespace}, with {@code
 * infraClusterLabels}. It is named as the sandbox names the cluster's real node, {@code
 * <cluster>-worker-0}, whose provider id ({@code kubevirt://<vm>}) the node plugin reads.
 */
public record TenantVm(String namespace, String name, Map<String, String> labels) {
  /** The worker VM of {@code cluster} of the tenant in {@code tenantNamespace}. */
  public static TenantVm of(KubernetesClient under, String tenantNamespace, String cluster) {
    String configMap = "kubevirt-csi-controller-" + cluster + "-config";
    var found = under.configMaps().inNamespace(tenantNamespace).withName(configMap).get();
    if (found == null)
      throw new IllegalStateException(
          "no ConfigMap " + tenantNamespace + "/" + configMap + ": deploy the fleet first");
    Map<String, String> data = found.getData();
    return new TenantVm(
        data.get("infraClusterNamespace"),
        cluster + "-worker-0",
        labels(data.get("infraClusterLabels")));
  }

  /** {@code a=b,c=d} as a map, in order. */
  static Map<String, String> labels(String pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : pairs.split(",")) {
      int eq = pair.indexOf('=');
      if (eq < 0)
        throw new IllegalArgumentException("infraClusterLabels: '" + pair + "' is no k=v");
      labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return labels;
  }
}

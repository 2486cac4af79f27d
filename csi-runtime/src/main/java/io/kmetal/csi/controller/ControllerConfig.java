package io.kmetal.csi.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this tenant cluster's volumes live in the under cluster, from the driver ConfigMap: {@code
 * infraClusterNamespace} and {@code infraClusterLabels} ({@code k=v,k2=v2}), and which
 * under-cluster classes it may use ({@code infraStorageClassEnforcement}). Everything without these
 * labels is another tenant's, and NOT_FOUND to this driver.
 */
public record ControllerConfig(
    String namespace, Map<String, String> labels, StorageClassPolicy storageClasses) {
  public ControllerConfig {
    if (namespace == null || namespace.isBlank())
      throw new IllegalArgumentException("infraClusterNamespace is required");
    if (labels == null || labels.isEmpty())
      throw new IllegalArgumentException(
          "infraClusterLabels is required (k=v,...): it keeps tenants apart");
    labels = Map.copyOf(labels);
    if (storageClasses == null) storageClasses = StorageClassPolicy.ALLOW_ALL;
  }

  /** Every under-cluster storage class allowed. */
  public ControllerConfig(String namespace, Map<String, String> labels) {
    this(namespace, labels, StorageClassPolicy.ALLOW_ALL);
  }

  /** Whether the object carries all of this tenant cluster's labels (else it is another's). */
  public boolean owns(HasMetadata object) {
    Map<String, String> have = object.getMetadata().getLabels();
    return have != null && have.entrySet().containsAll(labels.entrySet());
  }

  /** {@code k=v,k2=v2}, as the ConfigMap holds it. */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) continue;
      int eq = pair.indexOf('=');
      if (eq <= 0)
        throw new IllegalArgumentException(
            "infraClusterLabels: \"" + pair.strip() + "\" is not key=value");
      labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return labels;
  }
}

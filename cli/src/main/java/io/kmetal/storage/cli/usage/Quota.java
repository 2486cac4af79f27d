package io.kmetal.storage.cli.usage;

import java.util.Objects;

/**
 * A tenant's storage ResourceQuota in the under cluster, as {@code ResourceQuotaRenderer} renders
 * it: {@code <tenant>-storage} in the tenant's namespace, limiting the bytes and the number of
 * claims of one class ({@code <class>.storageclass.storage.k8s.io/requests.storage} and {@code
 * .../persistentvolumeclaims}).
 *
 * @param hardVolumes null when the quota sets no claim count for the class
 * @param statusUsed what the quota controller last counted for the class; null until it has
 */
public record Quota(
    String tenant,
    String namespace,
    String name,
    String storageClass,
    long hardBytes,
    Long hardVolumes,
    Amount statusUsed) {
  public Quota {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storageClass, "storageClass");
  }

  /** {@code namespace/name}, as messages name the quota. */
  public String ref() {
    return namespace + "/" + name;
  }
}

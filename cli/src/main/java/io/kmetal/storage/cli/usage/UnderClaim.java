package io.kmetal.storage.cli.usage;

import java.util.Map;

/**
 * A PersistentVolumeClaim in the tenant's under-cluster namespace.
 *
 * @param bytes {@code spec.resources.requests.storage}, what the quota and the webhook count
 * @param labels the claim's labels with those of the DataVolume of the same name over them (CDI
 *     names the claim after its DataVolume; the driver labels the DataVolume with its tenant
 *     cluster's labels)
 */
public record UnderClaim(
    String name, String storageClass, long bytes, String phase, Map<String, String> labels) {
  public UnderClaim {
    storageClass = storageClass == null ? "" : storageClass;
    phase = phase == null ? "" : phase;
    labels = Map.copyOf(labels);
  }
}

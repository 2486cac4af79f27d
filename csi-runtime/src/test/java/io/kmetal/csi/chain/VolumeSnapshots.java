package io.kmetal.csi.chain;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** VolumeSnapshots as the chain tests create them, in either cluster. */
final class VolumeSnapshots {
  private VolumeSnapshots() {}

  /** A snapshot of {@code claim}, of {@code snapshotClass} (null: the default class). */
  static GenericKubernetesResource of(
      String namespace, String name, String snapshotClass, String claim) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (snapshotClass != null) spec.put("volumeSnapshotClassName", snapshotClass);
    spec.put("source", Map.of("persistentVolumeClaimName", claim));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("snapshot.storage.k8s.io/v1")
        .withKind("VolumeSnapshot")
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }
}

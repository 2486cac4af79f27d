package io.kmetal.storage.internal.pulumi;

import java.util.List;
import java.util.Map;

/**
 * Fields Kubernetes refuses to update: a change must show in the preview as a replacement, not as
 * an update that fails at apply time.
 */
final class ImmutableFields {
  private static final Map<String, List<String>> BY_KIND =
      Map.of(
          "StorageClass",
              List.of("provisioner", "parameters", "reclaimPolicy", "volumeBindingMode"),
          "CSIDriver", List.of("spec"),
          "VolumeSnapshotClass", List.of("driver", "parameters"),
          "RoleBinding", List.of("roleRef"),
          "ClusterRoleBinding", List.of("roleRef"));

  private ImmutableFields() {}

  static List<String> of(String kind) {
    return BY_KIND.getOrDefault(kind, List.of());
  }
}

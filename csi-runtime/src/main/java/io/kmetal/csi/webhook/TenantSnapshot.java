package io.kmetal.csi.webhook;

/**
 * The parts of a tenant VolumeSnapshot the quota decision reads. Each one the driver takes becomes
 * the VolumeSnapshot {@code snapshot-<uid>} in the tenant's under-cluster namespace (the
 * external-snapshotter names the CSI snapshot so, and that name is a valid object name).
 *
 * @param uid empty when the review carries none
 * @param snapshotClassName empty when the snapshot names no class (the default class is used)
 * @param fromClaim the snapshot takes a claim ({@code spec.source.persistentVolumeClaimName}); one
 *     that binds existing content takes nothing in the under cluster
 */
record TenantSnapshot(
    String uid, String namespace, String name, String snapshotClassName, boolean fromClaim) {
  static final String UNDER_PREFIX = "snapshot-";

  String ref() {
    return namespace + "/" + name;
  }

  /** The reservation key, which is also the under cluster's snapshot name. */
  String key(String cluster) {
    return UNDER_PREFIX + (uid.isEmpty() ? cluster + "." + namespace + "." + name : uid);
  }
}

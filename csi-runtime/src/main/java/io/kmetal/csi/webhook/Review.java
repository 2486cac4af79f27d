package io.kmetal.csi.webhook;

/**
 * One admission request for a tenant claim or snapshot, from the tenant cluster {@code cluster}
 * (the last segment of the URL the tenant API server calls).
 *
 * @param resource {@code group/version/resource} of the request, e.g. {@code
 *     /v1/persistentvolumeclaims}
 * @param object the claim after the change; null for DELETE
 * @param oldObject the claim before it; null for CREATE
 * @param snapshot for a VolumeSnapshot review, the snapshot created or (DELETE) deleted; null
 *     otherwise
 * @param dryRun the request changes nothing ({@code kubectl --dry-run=server}): decided as usual,
 *     but nothing is reserved or released (the webhook declares {@code sideEffects: None})
 */
record Review(
    String uid,
    String cluster,
    String operation,
    String resource,
    Claim object,
    Claim oldObject,
    boolean dryRun,
    TenantSnapshot snapshot) {
  static final String CLAIMS = "/v1/persistentvolumeclaims";
  static final String SNAPSHOTS = "snapshot.storage.k8s.io/v1/volumesnapshots";

  Review(
      String uid,
      String cluster,
      String operation,
      String resource,
      Claim object,
      Claim oldObject,
      boolean dryRun) {
    this(uid, cluster, operation, resource, object, oldObject, dryRun, null);
  }

  Review(
      String uid,
      String cluster,
      String operation,
      String resource,
      Claim object,
      Claim oldObject) {
    this(uid, cluster, operation, resource, object, oldObject, false, null);
  }

  boolean isClaim() {
    return CLAIMS.equals(resource);
  }

  boolean isSnapshot() {
    return SNAPSHOTS.equals(resource) && snapshot != null;
  }

  /** The reservation key of what this review may admit; null when it admits nothing. */
  String admittedKey() {
    if (isSnapshot()) return "CREATE".equals(operation) ? snapshot.key(cluster) : null;
    return object != null ? object.key(cluster) : null;
  }

  /** The reservation key a DELETE releases; null for any other review. */
  String releasedKey() {
    if (!"DELETE".equals(operation)) return null;
    if (isSnapshot()) return snapshot.key(cluster);
    return oldObject != null ? oldObject.key(cluster) : null;
  }
}

package io.kmetal.csi.webhook;

/**
 * One admission request for a tenant claim, from the tenant cluster {@code cluster} (the last
 * segment of the URL the tenant API server calls).
 *
 * @param resource {@code group/version/resource} of the request, e.g. {@code
 *     /v1/persistentvolumeclaims}
 * @param object the claim after the change; null for DELETE
 * @param oldObject the claim before it; null for CREATE
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
    boolean dryRun) {
  static final String CLAIMS = "/v1/persistentvolumeclaims";

  Review(
      String uid,
      String cluster,
      String operation,
      String resource,
      Claim object,
      Claim oldObject) {
    this(uid, cluster, operation, resource, object, oldObject, false);
  }

  boolean isClaim() {
    return CLAIMS.equals(resource);
  }
}

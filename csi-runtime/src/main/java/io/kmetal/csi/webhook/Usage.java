package io.kmetal.csi.webhook;

import java.util.Map;
import java.util.Set;

/**
 * The tenant's under-cluster namespace as one snapshot: the quota's hard limits on storage (bytes)
 * and on the number of claims and snapshots (empty when there is no quota), the claims there by
 * name, and the names of the VolumeSnapshots there. What is used is counted from the claims, as the
 * quota counts them, not read from the quota's status: the status is updated before the claim it
 * counts becomes visible, so a reservation still waiting for that claim would be counted twice.
 */
record Usage(
    boolean quotaExists,
    Map<String, Long> hard,
    Map<String, UnderClaim> claims,
    Set<String> snapshots) {
  Usage {
    hard = Map.copyOf(hard);
    claims = Map.copyOf(claims);
    snapshots = Set.copyOf(snapshots);
  }

  Usage(boolean quotaExists, Map<String, Long> hard, Map<String, UnderClaim> claims) {
    this(quotaExists, hard, claims, Set.of());
  }

  /**
   * A claim in the under cluster: its class, {@code spec.resources.requests.storage}, and the
   * tenant cluster its labels name ("" when they name none).
   */
  record UnderClaim(String storageClass, long bytes, String cluster) {
    UnderClaim(String storageClass, long bytes) {
      this(storageClass, bytes, "");
    }
  }

  /** The size of the under-cluster claim provisioned for the tenant claim with {@code uid}. */
  long provisioned(String uid) {
    UnderClaim c = claims.get(underName(uid));
    return c == null ? 0 : c.bytes();
  }

  /** Whether the under cluster holds a claim for the tenant claim with {@code uid}. */
  boolean holds(String uid) {
    return claims.containsKey(underName(uid));
  }

  private static String underName(String uid) {
    return "pvc-" + uid; // the external-provisioner's volume name, which CDI's claim takes
  }
}

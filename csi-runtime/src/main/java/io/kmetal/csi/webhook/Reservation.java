package io.kmetal.csi.webhook;

import java.time.Instant;

/**
 * A tenant claim admitted but not yet (fully) provisioned: it counts {@code bytes} minus what its
 * under-cluster claim already holds, and one volume while that claim does not exist, until the
 * claim exists at {@code bytes} or the reservation {@code expires}. A tenant snapshot admitted but
 * not yet taken counts one snapshot (and no bytes) until its under snapshot exists.
 *
 * @param bytes the under-cluster claim size the admission allowed for
 */
record Reservation(String cluster, String claim, long bytes, Instant expires) {
  /** What this reservation adds to the quota's own count. */
  long pending(Usage usage, String key) {
    return Math.max(0, bytes - usage.provisioned(key));
  }

  /** What this reservation adds to the quota's own count of claims: 1 until its claim exists. */
  long pendingVolumes(Usage usage, String key) {
    return isSnapshot(key) || usage.holds(key) ? 0 : 1;
  }

  /** What a snapshot's reservation adds to the count of snapshots: 1 until the snapshot exists. */
  long pendingSnapshots(Usage usage, String key) {
    return isSnapshot(key) && !usage.snapshots().contains(key) ? 1 : 0;
  }

  boolean done(Usage usage, String key, Instant now) {
    return (pending(usage, key) == 0
            && pendingVolumes(usage, key) == 0
            && pendingSnapshots(usage, key) == 0)
        || !now.isBefore(expires);
  }

  /** A snapshot's reservation is keyed by the under snapshot's name; a claim's by its uid. */
  static boolean isSnapshot(String key) {
    return key.startsWith(TenantSnapshot.UNDER_PREFIX);
  }
}

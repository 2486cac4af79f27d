package io.kmetal.csi.webhook;

import java.time.Instant;

/**
 * A tenant claim admitted but not yet (fully) provisioned: it counts {@code bytes} minus what its
 * under-cluster claim already holds, until that claim reaches {@code bytes} or {@code expires}.
 *
 * @param bytes the under-cluster claim size the admission allowed for
 */
record Reservation(String cluster, String claim, long bytes, Instant expires) {
  /** What this reservation adds to the quota's own count. */
  long pending(Usage usage, String key) {
    return Math.max(0, bytes - usage.provisioned(key));
  }

  boolean done(Usage usage, String key, Instant now) {
    return pending(usage, key) == 0 || !now.isBefore(expires);
  }
}

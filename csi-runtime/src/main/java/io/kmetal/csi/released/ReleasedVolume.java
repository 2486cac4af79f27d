package io.kmetal.csi.released;

import java.time.Duration;

/**
 * A PersistentVolume as the clean-up sees it: its phase, its own reclaim policy, its class and that
 * class's reclaim policy (null: the class is gone), the claim it was bound to, its size, and how
 * long it has been in its phase.
 */
public record ReleasedVolume(
    String name,
    String phase,
    String reclaimPolicy,
    String storageClass,
    String classReclaimPolicy,
    String claim,
    long bytes,
    Duration age) {

  /**
   * Whether the clean-up may take this volume: Released, kept by {@code Retain} (its own policy,
   * and its class's when the class still exists), for at least {@code olderThan}. Never a Bound
   * volume, never one a {@code Delete} class governs.
   */
  public boolean removable(Duration olderThan) {
    return "Released".equals(phase)
        && "Retain".equals(reclaimPolicy)
        && (classReclaimPolicy == null || "Retain".equals(classReclaimPolicy))
        && age.compareTo(olderThan) >= 0;
  }
}

package io.kmetal.csi.infra;

import java.time.Instant;
import java.util.Map;

/**
 * An under-cluster VolumeSnapshot of a claim: its class, and what the snapshot controller reports
 * (ready, the size a restore needs, when it was taken; {@code created} is the object's creation
 * until the snapshot is cut).
 */
public record VolumeSnapshot(
    String name,
    Map<String, String> labels,
    String claim,
    String snapshotClass,
    long restoreBytes,
    boolean ready,
    Instant created) {
  public VolumeSnapshot {
    labels = Map.copyOf(labels);
  }

  /** A VolumeSnapshot to create. */
  public static VolumeSnapshot requested(
      String name, Map<String, String> labels, String claim, String snapshotClass) {
    return new VolumeSnapshot(name, labels, claim, snapshotClass, 0, false, null);
  }
}

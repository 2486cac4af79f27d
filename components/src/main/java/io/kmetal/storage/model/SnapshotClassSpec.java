package io.kmetal.storage.model;

/** A VolumeSnapshotClass for the tier's driver. */
public record SnapshotClassSpec(String name, String deletionPolicy) {
  public SnapshotClassSpec {
    deletionPolicy = Defaults.or(deletionPolicy, "Delete");
  }
}

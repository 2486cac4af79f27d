package io.kmetal.storage.model;

/**
 * A VolumeSnapshotClass for the tier's driver.
 *
 * @param isDefault marks it {@code snapshot.storage.kubernetes.io/is-default-class: "true"}: a
 *     fleet has exactly one default snapshot class per driver
 */
public record SnapshotClassSpec(String name, String deletionPolicy, Boolean isDefault) {
  public SnapshotClassSpec {
    deletionPolicy = Defaults.or(deletionPolicy, "Delete");
    isDefault = Defaults.or(isDefault, false);
  }

  public SnapshotClassSpec(String name, String deletionPolicy) {
    this(name, deletionPolicy, null);
  }
}

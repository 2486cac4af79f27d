package io.kmetal.storage.model;

/**
 * A VolumeSnapshotClass for the tier's driver.
 *
 * @param isDefault marks it {@code snapshot.storage.kubernetes.io/is-default-class: "true"}; null
 *     (unset): it is the default when it is its driver's only snapshot class (in a fleet; a lone
 *     tier's class always is). A fleet has exactly one default per driver with snapshot classes.
 */
public record SnapshotClassSpec(String name, String deletionPolicy, Boolean isDefault) {
  public SnapshotClassSpec {
    deletionPolicy = Defaults.or(deletionPolicy, "Delete");
  }

  public SnapshotClassSpec(String name, String deletionPolicy) {
    this(name, deletionPolicy, null);
  }

  /** Whether it is rendered as the default: explicitly, or unset (see {@link #isDefault}). */
  public boolean marksDefault() {
    return !Boolean.FALSE.equals(isDefault);
  }

  /** The same class with {@code isDefault} decided. */
  public SnapshotClassSpec withIsDefault(boolean isDefault) {
    return new SnapshotClassSpec(name, deletionPolicy, isDefault);
  }
}

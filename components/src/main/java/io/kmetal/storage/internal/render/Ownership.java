package io.kmetal.storage.internal.render;

/**
 * Whether kmetal-storage owns an object or only sets some fields of one another controller owns.
 */
public enum Ownership {
  /** Created, updated and deleted by kmetal-storage. */
  OWNED,
  /**
   * Owned by someone else (virt-operator's KubeVirt CR, CDI's StorageProfiles): applied as a
   * server-side-apply patch of our fields only, and never deleted.
   */
  PATCH
}

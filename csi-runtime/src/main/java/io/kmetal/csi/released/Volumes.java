package io.kmetal.csi.released;

import java.util.List;
import java.util.Optional;

/** The under cluster's PersistentVolumes, as the clean-up reads and deletes them. */
public interface Volumes {
  /** Every PersistentVolume, with its class's reclaim policy. */
  List<ReleasedVolume> list();

  /** The volume as it is now (empty: gone). */
  Optional<ReleasedVolume> get(String name);

  /**
   * Deletes the volume if it is unchanged since {@code seen} was read.
   *
   * @return false when it changed or is gone (nothing deleted)
   */
  boolean delete(ReleasedVolume seen);
}

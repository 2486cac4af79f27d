package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.invalid;

import csi.v1.Csi.VolumeContentSource;
import io.kmetal.csi.infra.DataVolume;

/**
 * What a new volume starts from: blank, a snapshot, or another volume (a clone), as CSI's {@code
 * volume_content_source} says it and as a DataVolume's {@code spec.source} holds it.
 */
record ContentSource(Kind kind, String id) {
  enum Kind {
    BLANK,
    SNAPSHOT,
    VOLUME
  }

  static final ContentSource BLANK = new ContentSource(Kind.BLANK, null);

  /** The request's source; one without a snapshot or volume id is INVALID_ARGUMENT. */
  static ContentSource of(boolean present, VolumeContentSource source) {
    if (!present) return BLANK;
    if (source.hasSnapshot()) {
      if (source.getSnapshot().getSnapshotId().isEmpty())
        throw invalid("volume_content_source.snapshot.snapshot_id is required");
      return new ContentSource(Kind.SNAPSHOT, source.getSnapshot().getSnapshotId());
    }
    if (source.hasVolume()) {
      if (source.getVolume().getVolumeId().isEmpty())
        throw invalid("volume_content_source.volume.volume_id is required");
      return new ContentSource(Kind.VOLUME, source.getVolume().getVolumeId());
    }
    throw invalid("volume_content_source needs a snapshot or a volume");
  }

  /** The source an existing DataVolume was made from. */
  static ContentSource of(DataVolume.Source source) {
    return switch (source.kind()) {
      case BLANK -> BLANK;
      case SNAPSHOT -> new ContentSource(Kind.SNAPSHOT, source.name());
      case PVC -> new ContentSource(Kind.VOLUME, source.name());
    };
  }

  /** The DataVolume's source: a snapshot or claim of the volume's own namespace. */
  DataVolume.Source dataVolume() {
    return switch (kind) {
      case BLANK -> DataVolume.Source.BLANK;
      case SNAPSHOT -> new DataVolume.Source(DataVolume.Source.Kind.SNAPSHOT, id);
      case VOLUME -> new DataVolume.Source(DataVolume.Source.Kind.PVC, id);
    };
  }

  /** CSI's form, for the CreateVolume response. */
  VolumeContentSource csi() {
    var out = VolumeContentSource.newBuilder();
    switch (kind) {
      case SNAPSHOT ->
          out.setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(id));
      case VOLUME -> out.setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(id));
      case BLANK -> {}
    }
    return out.build();
  }
}

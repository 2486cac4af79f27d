package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.invalid;

import csi.v1.Csi.VolumeContentSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;

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

  /** The source of an existing DataVolume ({@code spec.source}). */
  @SuppressWarnings("unchecked")
  static ContentSource of(GenericKubernetesResource dv) {
    Map<String, Object> spec = (Map<String, Object>) dv.getAdditionalProperties().get("spec");
    Map<String, Object> source = (Map<String, Object>) spec.getOrDefault("source", Map.of());
    if (source.get("snapshot") instanceof Map<?, ?> s)
      return new ContentSource(Kind.SNAPSHOT, String.valueOf(s.get("name")));
    if (source.get("pvc") instanceof Map<?, ?> p)
      return new ContentSource(Kind.VOLUME, String.valueOf(p.get("name")));
    return BLANK;
  }

  /** The DataVolume's {@code spec.source} for this source in {@code namespace}. */
  Map<String, Object> dataVolumeSource(String namespace) {
    return switch (kind) {
      case BLANK -> Map.of("blank", Map.of());
      case SNAPSHOT -> Map.of("snapshot", Map.of("namespace", namespace, "name", id));
      case VOLUME -> Map.of("pvc", Map.of("namespace", namespace, "name", id));
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

package io.kmetal.csi.telemetry;

import csi.v1.Csi.ControllerExpandVolumeRequest;
import csi.v1.Csi.ControllerGetVolumeRequest;
import csi.v1.Csi.ControllerModifyVolumeRequest;
import csi.v1.Csi.ControllerPublishVolumeRequest;
import csi.v1.Csi.ControllerUnpublishVolumeRequest;
import csi.v1.Csi.CreateSnapshotRequest;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.DeleteSnapshotRequest;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.GetSnapshotRequest;
import csi.v1.Csi.ListSnapshotsRequest;
import csi.v1.Csi.NodeExpandVolumeRequest;
import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.ValidateVolumeCapabilitiesRequest;

/**
 * The volume (or snapshot) a CSI request is about, for its call's log line: its {@code volume_id},
 * else its {@code name}, {@code snapshot_id} or {@code source_volume_id}, the first one set.
 *
 * <p>Read through the generated getters: the lite runtime the driver runs on has no descriptors to
 * look fields up by name. {@code CallSubjectTest} checks this list against the request types of
 * every service the driver serves.
 */
final class CallSubject {
  private CallSubject() {}

  /** The subject of {@code request}; "" when it names none. */
  static String of(Object request) {
    if (request instanceof NodeStageVolumeRequest r) return r.getVolumeId();
    if (request instanceof NodePublishVolumeRequest r) return r.getVolumeId();
    if (request instanceof NodeUnpublishVolumeRequest r) return r.getVolumeId();
    if (request instanceof NodeUnstageVolumeRequest r) return r.getVolumeId();
    if (request instanceof NodeGetVolumeStatsRequest r) return r.getVolumeId();
    if (request instanceof NodeExpandVolumeRequest r) return r.getVolumeId();
    if (request instanceof CreateVolumeRequest r) return r.getName();
    if (request instanceof DeleteVolumeRequest r) return r.getVolumeId();
    if (request instanceof ControllerPublishVolumeRequest r) return r.getVolumeId();
    if (request instanceof ControllerUnpublishVolumeRequest r) return r.getVolumeId();
    if (request instanceof ControllerExpandVolumeRequest r) return r.getVolumeId();
    if (request instanceof ControllerGetVolumeRequest r) return r.getVolumeId();
    if (request instanceof ControllerModifyVolumeRequest r) return r.getVolumeId();
    if (request instanceof ValidateVolumeCapabilitiesRequest r) return r.getVolumeId();
    if (request instanceof CreateSnapshotRequest r)
      return firstSet(r.getName(), r.getSourceVolumeId());
    if (request instanceof DeleteSnapshotRequest r) return r.getSnapshotId();
    if (request instanceof GetSnapshotRequest r) return r.getSnapshotId();
    if (request instanceof ListSnapshotsRequest r)
      return firstSet(r.getSnapshotId(), r.getSourceVolumeId());
    return "";
  }

  private static String firstSet(String first, String second) {
    return first.isEmpty() ? second : first;
  }
}

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

  /**
   * The subject of {@code request}; "" when it names none. By the request type's name rather than a
   * chain of {@code instanceof}: each test loads the class it names, and the chain loaded all the
   * controller's requests into the node plugin, which never receives one.
   */
  static String of(Object request) {
    return switch (request.getClass().getSimpleName()) {
      case "NodeStageVolumeRequest" -> ((NodeStageVolumeRequest) request).getVolumeId();
      case "NodePublishVolumeRequest" -> ((NodePublishVolumeRequest) request).getVolumeId();
      case "NodeUnpublishVolumeRequest" -> ((NodeUnpublishVolumeRequest) request).getVolumeId();
      case "NodeUnstageVolumeRequest" -> ((NodeUnstageVolumeRequest) request).getVolumeId();
      case "NodeGetVolumeStatsRequest" -> ((NodeGetVolumeStatsRequest) request).getVolumeId();
      case "NodeExpandVolumeRequest" -> ((NodeExpandVolumeRequest) request).getVolumeId();
      case "CreateVolumeRequest" -> ((CreateVolumeRequest) request).getName();
      case "DeleteVolumeRequest" -> ((DeleteVolumeRequest) request).getVolumeId();
      case "ControllerPublishVolumeRequest" ->
          ((ControllerPublishVolumeRequest) request).getVolumeId();
      case "ControllerUnpublishVolumeRequest" ->
          ((ControllerUnpublishVolumeRequest) request).getVolumeId();
      case "ControllerExpandVolumeRequest" ->
          ((ControllerExpandVolumeRequest) request).getVolumeId();
      case "ControllerGetVolumeRequest" -> ((ControllerGetVolumeRequest) request).getVolumeId();
      case "ControllerModifyVolumeRequest" ->
          ((ControllerModifyVolumeRequest) request).getVolumeId();
      case "ValidateVolumeCapabilitiesRequest" ->
          ((ValidateVolumeCapabilitiesRequest) request).getVolumeId();
      case "CreateSnapshotRequest" -> {
        var r = (CreateSnapshotRequest) request;
        yield firstSet(r.getName(), r.getSourceVolumeId());
      }
      case "DeleteSnapshotRequest" -> ((DeleteSnapshotRequest) request).getSnapshotId();
      case "GetSnapshotRequest" -> ((GetSnapshotRequest) request).getSnapshotId();
      case "ListSnapshotsRequest" -> {
        var r = (ListSnapshotsRequest) request;
        yield firstSet(r.getSnapshotId(), r.getSourceVolumeId());
      }
      default -> "";
    };
  }

  private static String firstSet(String first, String second) {
    return first.isEmpty() ? second : first;
  }
}

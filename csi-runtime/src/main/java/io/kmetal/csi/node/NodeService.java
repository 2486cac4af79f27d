package io.kmetal.csi.node;

import static io.kmetal.csi.grpc.Calls.failedPrecondition;
import static io.kmetal.csi.grpc.Calls.invalid;
import static io.kmetal.csi.grpc.Calls.notFound;

import csi.v1.Csi.NodeExpandVolumeRequest;
import csi.v1.Csi.NodeExpandVolumeResponse;
import csi.v1.Csi.NodeGetCapabilitiesRequest;
import csi.v1.Csi.NodeGetCapabilitiesResponse;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.Csi.NodeGetInfoResponse;
import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.Csi.NodeGetVolumeStatsResponse;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodePublishVolumeResponse;
import csi.v1.Csi.NodeServiceCapability;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeStageVolumeResponse;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeResponse;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeResponse;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeUsage;
import csi.v1.NodeGrpc;
import io.grpc.stub.StreamObserver;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.csi.grpc.Calls;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The CSI Node service in the tenant VM: finds the hot-plugged disk by serial, formats it only when
 * it is blank (mkfs errors reach the caller), mounts it at the staging path, bind-mounts it (or the
 * raw device, for block volumes) into pods honouring readonly and mount flags, grows the filesystem
 * after an expansion, and reports usage. Every call is idempotent.
 */
public final class NodeService extends NodeGrpc.NodeImplBase {
  private static final Set<String> FILESYSTEMS = Set.of("ext4", "xfs");
  private static final String DEFAULT_FS = "ext4";

  /** The VM's name; found after start-up (see {@code NodeCommand}), so a call may wait for it. */
  private final Supplier<String> nodeId;

  private final Disks disks;
  private final Mounter os;
  private final Calls calls = new Calls();

  public NodeService(String nodeId, Disks disks, Mounter os) {
    this(() -> nodeId, disks, os);
  }

  public NodeService(Supplier<String> nodeId, Disks disks, Mounter os) {
    this.nodeId = nodeId;
    this.disks = disks;
    this.os = os;
  }

  @Override
  public void nodeGetInfo(NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> out) {
    Calls.respond(out, () -> NodeGetInfoResponse.newBuilder().setNodeId(nodeId.get()).build());
  }

  @Override
  public void nodeGetCapabilities(
      NodeGetCapabilitiesRequest request, StreamObserver<NodeGetCapabilitiesResponse> out) {
    Calls.respond(
        out,
        () -> {
          var response = NodeGetCapabilitiesResponse.newBuilder();
          for (var type :
              List.of(
                  NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME,
                  NodeServiceCapability.RPC.Type.EXPAND_VOLUME,
                  NodeServiceCapability.RPC.Type.GET_VOLUME_STATS)) {
            response.addCapabilities(
                NodeServiceCapability.newBuilder()
                    .setRpc(NodeServiceCapability.RPC.newBuilder().setType(type)));
          }
          return response.build();
        });
  }

  @Override
  public void nodeStageVolume(
      NodeStageVolumeRequest request, StreamObserver<NodeStageVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          Path staging = path(request.getStagingTargetPath(), "staging_target_path");
          VolumeCapability capability =
              capability(request.hasVolumeCapability(), request.getVolumeCapability());
          if (capability.hasBlock()) return NodeStageVolumeResponse.getDefaultInstance();
          Path device = attached(request.getVolumeId(), request.getPublishContextMap());
          String fsType = fsType(capability);
          var mounted = os.mountedAt(staging);
          if (mounted.isPresent()) {
            if (mounted.get().equals(device.toString()))
              return NodeStageVolumeResponse.getDefaultInstance();
            throw failedPrecondition(
                staging + " already has " + mounted.get() + " mounted, not " + device);
          }
          var existing = os.filesystemOf(device);
          if (existing.isEmpty()) os.mkfs(device, fsType);
          else if (!existing.get().equals(fsType))
            throw failedPrecondition(
                "volume "
                    + request.getVolumeId()
                    + " holds a "
                    + existing.get()
                    + " filesystem, the request asks for "
                    + fsType
                    + "; it is not reformatted");
          Files.createDirectories(staging);
          os.mount(device, staging, fsType, capability.getMount().getMountFlagsList());
          return NodeStageVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeUnstageVolume(
      NodeUnstageVolumeRequest request, StreamObserver<NodeUnstageVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          Path staging = path(request.getStagingTargetPath(), "staging_target_path");
          if (os.mountedAt(staging).isPresent()) os.unmount(staging);
          return NodeUnstageVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodePublishVolume(
      NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          Path target = path(request.getTargetPath(), "target_path");
          VolumeCapability capability =
              capability(request.hasVolumeCapability(), request.getVolumeCapability());
          if (os.mountedAt(target).isPresent())
            return NodePublishVolumeResponse.getDefaultInstance();
          if (capability.hasBlock()) {
            Path device = attached(request.getVolumeId(), request.getPublishContextMap());
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) Files.createFile(target);
            os.bindMount(device, target, request.getReadonly(), List.of());
          } else {
            Path staging = path(request.getStagingTargetPath(), "staging_target_path");
            if (os.mountedAt(staging).isEmpty())
              throw failedPrecondition(
                  "volume " + request.getVolumeId() + " is not staged at " + staging);
            Files.createDirectories(target);
            os.bindMount(
                staging, target, request.getReadonly(), capability.getMount().getMountFlagsList());
          }
          return NodePublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeUnpublishVolume(
      NodeUnpublishVolumeRequest request, StreamObserver<NodeUnpublishVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          Path target = path(request.getTargetPath(), "target_path");
          if (os.mountedAt(target).isPresent()) os.unmount(target);
          Files.deleteIfExists(target);
          return NodeUnpublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeExpandVolume(
      NodeExpandVolumeRequest request, StreamObserver<NodeExpandVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          if (request.getVolumePath().isEmpty()) throw invalid("volume_path is required");
          Path device = attached(request.getVolumeId(), Map.of()); // NOT_FOUND before path checks
          Path volumePath = path(request.getVolumePath(), "volume_path");
          if (request.hasVolumeCapability() && request.getVolumeCapability().hasBlock())
            return NodeExpandVolumeResponse.getDefaultInstance(); // the device grew already
          String fsType =
              os.filesystemOf(device)
                  .orElseThrow(
                      () ->
                          failedPrecondition(
                              "volume " + request.getVolumeId() + " has no filesystem"));
          if (os.mountedAt(volumePath).isEmpty())
            throw notFound(volumePath + " is not a mounted volume");
          os.growFilesystem(device, volumePath, fsType);
          return NodeExpandVolumeResponse.newBuilder()
              .setCapacityBytes(Files.getFileStore(volumePath).getTotalSpace())
              .build();
        });
  }

  @Override
  public void nodeGetVolumeStats(
      NodeGetVolumeStatsRequest request, StreamObserver<NodeGetVolumeStatsResponse> out) {
    Calls.respond(
        out,
        () -> {
          if (request.getVolumeId().isEmpty()) throw invalid("volume_id is required");
          if (request.getVolumePath().isEmpty()) throw invalid("volume_path is required");
          Path volumePath = Path.of(request.getVolumePath());
          if (!volumePath.isAbsolute() || !Files.exists(volumePath))
            throw notFound(
                "volume "
                    + request.getVolumeId()
                    + " is not at "
                    + volumePath
                    + " (no such absolute path)");
          FileStore store = Files.getFileStore(volumePath);
          long total = store.getTotalSpace();
          long available = store.getUsableSpace();
          return NodeGetVolumeStatsResponse.newBuilder()
              .addUsage(
                  VolumeUsage.newBuilder()
                      .setUnit(VolumeUsage.Unit.BYTES)
                      .setTotal(total)
                      .setAvailable(available)
                      .setUsed(total - store.getUnallocatedSpace()))
              .build();
        });
  }

  /**
   * The disk of {@code volumeId}: by the serial the controller put in the publish context (the one
   * the VMI holds), else by the serial {@link DiskSerial#of} gives the id, else by the id itself
   * (how volumes attached before that rule were hot-plugged).
   */
  private Path attached(String volumeId, Map<String, String> publishContext) {
    List<String> serials =
        publishContext.containsKey(DiskSerial.PUBLISH_CONTEXT_KEY)
            ? List.of(publishContext.get(DiskSerial.PUBLISH_CONTEXT_KEY))
            : List.of(DiskSerial.of(volumeId), volumeId);
    return disks
        .bySerial(serials)
        .orElseThrow(
            () ->
                notFound(
                    "no disk with serial "
                        + String.join(" or ", serials)
                        + " of volume "
                        + volumeId
                        + " is attached to node "
                        + nodeId.get()
                        + " (looked in "
                        + disks.byIdDir()
                        + ")"));
  }

  private static Path path(String value, String field) {
    if (value.isEmpty()) throw invalid(field + " is required");
    if (!value.startsWith("/")) throw invalid(field + " must be an absolute path, got " + value);
    return Path.of(value);
  }

  private static VolumeCapability capability(boolean present, VolumeCapability capability) {
    if (!present) throw invalid("volume_capability is required");
    if (!capability.hasBlock() && !capability.hasMount())
      throw invalid("volume_capability needs an access type: block or mount");
    return capability;
  }

  private static String fsType(VolumeCapability capability) {
    String fsType = capability.getMount().getFsType();
    if (fsType.isEmpty()) return DEFAULT_FS;
    if (!FILESYSTEMS.contains(fsType))
      throw invalid("volume_capability.mount.fs_type " + fsType + " is not supported (ext4, xfs)");
    return fsType;
  }
}

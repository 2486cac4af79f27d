package io.kmetal.csi.chain;

import csi.v1.Csi.NodeExpandVolumeRequest;
import csi.v1.Csi.NodeGetInfoRequest;
import csi.v1.Csi.NodePublishVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.NodeUnpublishVolumeRequest;
import csi.v1.Csi.NodeUnstageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import csi.v1.NodeGrpc;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.kmetal.csi.server.UnixChannels;
import java.nio.file.Path;
import java.util.Map;

/**
 * The kubelet's part of the chain, which no kubelet plays here (the tenant nodes are VMs that
 * cannot run): the node-plugin calls kubelet makes for a pod's volume, with the publish context the
 * attacher recorded on the VolumeAttachment, over the node plugin's real socket.
 */
final class Kubelet implements AutoCloseable {
  private static final VolumeCapability EXT4 =
      VolumeCapability.newBuilder()
          .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
          .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))
          .build();

  private final ManagedChannel channel;
  private final NodeGrpc.NodeBlockingStub node;

  /** What is mounted now, to unmount on {@link #close()} after a failure midway. */
  private record Mounted(String volume, Path staging, Path target) {}

  private final java.util.Set<Mounted> mounted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Kubelet(Path socket) {
    channel = UnixChannels.open(socket);
    node = NodeGrpc.newBlockingStub(channel);
  }

  /**
   * Registers the plugin on {@code nodeName} as node-driver-registrar and kubelet do: the node's
   * CSINode names the driver with the id NodeGetInfo answers (the attach/detach controller needs
   * it).
   */
  String register(KubernetesClient tenant, String nodeName) {
    String id = node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId();
    var csiNode =
        new CSINodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .endMetadata()
            .withNewSpec()
            .addNewDriver()
            .withName("csi.kubevirt.io")
            .withNodeID(id)
            .endDriver()
            .endSpec()
            .build();
    tenant.storage().v1().csiNodes().resource(csiNode).serverSideApply();
    return id;
  }

  /** Stages and publishes the volume for a pod: format if blank, mount, bind into the pod. */
  void mount(String volume, Map<String, String> publishContext, Path staging, Path target) {
    mounted.add(new Mounted(volume, staging, target));
    node.nodeStageVolume(
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId(volume)
            .putAllPublishContext(publishContext)
            .setStagingTargetPath(staging.toString())
            .setVolumeCapability(EXT4)
            .build());
    node.nodePublishVolume(
        NodePublishVolumeRequest.newBuilder()
            .setVolumeId(volume)
            .putAllPublishContext(publishContext)
            .setStagingTargetPath(staging.toString())
            .setTargetPath(target.toString())
            .setVolumeCapability(EXT4)
            .build());
  }

  void expand(String volume, Path target, long bytes) {
    node.nodeExpandVolume(
        NodeExpandVolumeRequest.newBuilder()
            .setVolumeId(volume)
            .setVolumePath(target.toString())
            .setCapacityRange(csi.v1.Csi.CapacityRange.newBuilder().setRequiredBytes(bytes))
            .setVolumeCapability(EXT4)
            .build());
  }

  void unmount(String volume, Path staging, Path target) {
    node.nodeUnpublishVolume(
        NodeUnpublishVolumeRequest.newBuilder()
            .setVolumeId(volume)
            .setTargetPath(target.toString())
            .build());
    node.nodeUnstageVolume(
        NodeUnstageVolumeRequest.newBuilder()
            .setVolumeId(volume)
            .setStagingTargetPath(staging.toString())
            .build());
    mounted.remove(new Mounted(volume, staging, target));
  }

  @Override
  public void close() {
    for (Mounted m : java.util.List.copyOf(mounted)) {
      try {
        unmount(m.volume(), m.staging(), m.target());
      } catch (io.grpc.StatusRuntimeException e) {
        System.err.println("kubelet: cannot unmount " + m + ": " + e.getStatus());
      }
    }
    channel.shutdownNow();
  }
}

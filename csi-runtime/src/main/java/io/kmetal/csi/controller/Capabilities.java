package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.invalid;

import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import java.util.List;

/**
 * Which volume capabilities a hot-plugged KubeVirt disk can honour: one node writing (or reading),
 * Filesystem or Block; many nodes writing only as a raw Block device (live migration), never as a
 * shared filesystem.
 */
final class Capabilities {
  private Capabilities() {}

  /** Refuses a capability without an access type or access mode (INVALID_ARGUMENT). */
  static void check(VolumeCapability c) {
    if (!c.hasBlock() && !c.hasMount())
      throw invalid("volume_capabilities: each needs an access type: block or mount");
    if (c.getAccessMode().getMode() == Mode.UNKNOWN)
      throw invalid("volume_capabilities: access_mode is required");
  }

  /** Why these capabilities cannot be honoured, or null when they can. */
  static String problem(List<VolumeCapability> capabilities) {
    for (VolumeCapability c : capabilities) {
      Mode mode = c.getAccessMode().getMode();
      switch (mode) {
        case SINGLE_NODE_WRITER,
            SINGLE_NODE_READER_ONLY,
            SINGLE_NODE_SINGLE_WRITER,
            SINGLE_NODE_MULTI_WRITER -> {}
        case MULTI_NODE_MULTI_WRITER -> {
          if (!c.hasBlock())
            return "access mode "
                + mode
                + " is supported for block volumes only (a disk cannot be a shared filesystem)";
        }
        default -> {
          return "access mode " + mode + " is not supported";
        }
      }
    }
    return null;
  }

  /** The DataVolume's access mode: ReadWriteMany when any capability asks for many writers. */
  static String accessMode(List<VolumeCapability> capabilities) {
    return capabilities.stream()
            .anyMatch(c -> c.getAccessMode().getMode() == Mode.MULTI_NODE_MULTI_WRITER)
        ? "ReadWriteMany"
        : "ReadWriteOnce";
  }

  static boolean isBlock(List<VolumeCapability> capabilities) {
    return capabilities.stream().anyMatch(VolumeCapability::hasBlock);
  }
}

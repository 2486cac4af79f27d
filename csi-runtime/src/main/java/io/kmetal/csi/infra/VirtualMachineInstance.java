package io.kmetal.csi.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running KubeVirt VirtualMachineInstance: the volumes in its spec (hot-plugged, or being
 * hot-plugged), their disks, and KubeVirt's {@code status.volumeStatus[]}.
 */
public record VirtualMachineInstance(
    String name,
    Map<String, String> labels,
    List<String> volumes,
    List<Disk> disks,
    List<VolumeStatus> volumeStatus) {
  public VirtualMachineInstance {
    labels = Map.copyOf(labels);
    volumes = List.copyOf(volumes);
    disks = List.copyOf(disks);
    volumeStatus = List.copyOf(volumeStatus);
  }

  /** One of {@code spec.domain.devices.disks[]}; {@code serial} may be null. */
  public record Disk(String name, String serial, boolean readOnly) {}

  /** KubeVirt's report of one volume ({@code phase} Ready once the guest sees the disk). */
  public record VolumeStatus(String name, String phase, String message) {
    public boolean ready() {
      return "Ready".equals(phase);
    }
  }

  /** Whether the spec has the volume. */
  public boolean holds(String volume) {
    return volumes.contains(volume);
  }

  public Optional<Disk> disk(String volume) {
    return disks.stream().filter(d -> d.name().equals(volume)).findFirst();
  }

  public Optional<VolumeStatus> statusOf(String volume) {
    return volumeStatus.stream().filter(s -> s.name().equals(volume)).findFirst();
  }
}

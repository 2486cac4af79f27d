package io.kmetal.csi.controller;

import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;

/** CSI requests as the sidecars send them, for the controller's tests. */
final class Requests {
  private Requests() {}

  static VolumeCapability mount(Mode mode) {
    return VolumeCapability.newBuilder()
        .setMount(VolumeCapability.MountVolume.getDefaultInstance())
        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
        .build();
  }

  static VolumeCapability block(Mode mode) {
    return VolumeCapability.newBuilder()
        .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
        .build();
  }

  /** CreateVolume of {@code bytes} on the under-cluster class {@code infraClass}. */
  static CreateVolumeRequest create(
      String name, long bytes, VolumeCapability capability, String infraClass) {
    return CreateVolumeRequest.newBuilder()
        .setName(name)
        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
        .addVolumeCapabilities(capability)
        .putParameters("infraStorageClassName", infraClass)
        .build();
  }
}

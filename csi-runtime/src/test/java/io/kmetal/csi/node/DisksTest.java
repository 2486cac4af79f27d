package io.kmetal.csi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmetal.csi.disk.DiskSerial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the node plugin finds a hot-plugged disk in a by-id folder laid out as udev does. */
class DisksTest {
  @TempDir Path dir;
  private Path byId;
  private Disks disks;

  @BeforeEach
  void folder() throws IOException {
    byId = Files.createDirectories(dir.resolve("by-id"));
    disks = new Disks(byId);
  }

  private Path plug(String name) throws IOException {
    Path device = Files.createFile(dir.resolve("dev-" + name.hashCode()));
    Files.createSymbolicLink(byId.resolve(name), device);
    return device.toRealPath();
  }

  @Test
  void findsAScsiDiskByItsWholeSerial() throws IOException {
    String serial = DiskSerial.of("pvc-1");
    Path device = plug("scsi-0QEMU_QEMU_HARDDISK_" + serial);
    assertEquals(Optional.of(device), disks.bySerial(List.of(serial)));
  }

  @Test
  void findsAVirtioDiskByTheTwentyCharactersTheGuestSees() throws IOException {
    String legacy = "pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab"; // a 40-character serial
    Path device = plug("virtio-pvc-6f1c2a4e-1b2c-4d");
    assertEquals(Optional.of(device), disks.bySerial(List.of(legacy)));
  }

  @Test
  void neverMatchesAnotherDiskWhoseNameEndsWithTheSerial() throws IOException {
    plug("scsi-0QEMU_QEMU_HARDDISK_other_vol-1");
    plug("virtio-xvol-1");
    assertEquals(Optional.empty(), disks.bySerial(List.of("vol-1")));
  }

  @Test
  void triesTheSerialsInOrder() throws IOException {
    Path legacy = plug("scsi-0QEMU_QEMU_HARDDISK_vol-1");
    Path current = plug("scsi-0QEMU_QEMU_HARDDISK_" + DiskSerial.of("vol-1"));
    assertEquals(Optional.of(current), disks.bySerial(List.of(DiskSerial.of("vol-1"), "vol-1")));
    assertEquals(Optional.of(legacy), disks.bySerial(List.of("vol-1")));
  }

  @Test
  void aMissingFolderHasNoDisks() {
    assertEquals(Optional.empty(), new Disks(dir.resolve("none")).bySerial(List.of("vol-1")));
  }
}

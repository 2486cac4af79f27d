package io.kmetal.csi.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiskSerialTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab",
        "Sanity-Controller-7CC71C05",
        "a",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void everySerialFitsKubevirtAndBothBusesWholly(String volumeId) {
    String serial = DiskSerial.of(volumeId);
    assertTrue(serial.matches("[A-Za-z0-9_.+-]+"), "KubeVirt's serial characters: " + serial);
    assertTrue(serial.length() <= DiskSerial.SCSI_MAX, "QEMU scsi-hd limit: " + serial);
    assertTrue(serial.length() <= DiskSerial.VIRTIO_MAX, "virtio-blk keeps it whole: " + serial);
    assertEquals(serial, DiskSerial.of(volumeId), "the same for the volume's life");
  }

  @Test
  void provisionerVolumeIdsWouldNotFitAsSerials() {
    // why the id itself is no serial: pvc-<uid> is 40 characters
    assertTrue("pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab".length() > DiskSerial.SCSI_MAX);
  }

  @Test
  void distinctVolumesGetDistinctSerials() {
    Set<String> serials = new HashSet<>();
    for (int i = 0; i < 10_000; i++) serials.add(DiskSerial.of("pvc-" + i));
    assertEquals(10_000, serials.size());
    assertNotEquals(DiskSerial.of("Vol-A"), DiskSerial.of("vol-a"));
  }

  @Test
  void byIdNamesAreExactOnScsiAndCutAtTwentyOnVirtio() {
    String twenty = "0123456789abcdef0123";
    assertEquals(
        List.of("scsi-0QEMU_QEMU_HARDDISK_" + twenty, "virtio-" + twenty),
        DiskSerial.byIdNames(twenty));
    String thirtySix = "6f1c2a4e-1b2c-4d5e-8f90-0123456789ab";
    assertEquals(
        List.of("scsi-0QEMU_QEMU_HARDDISK_" + thirtySix, "virtio-6f1c2a4e-1b2c-4d5e-8"),
        DiskSerial.byIdNames(thirtySix));
    String twentyOne = twenty + "4";
    assertEquals("virtio-" + twenty, DiskSerial.byIdNames(twentyOne).get(1));
  }
}

package io.kmetal.csi.node;

import io.kmetal.csi.disk.DiskSerial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a hot-plugged disk by its serial, as udev names it in {@code /dev/disk/by-id}: exactly
 * {@code scsi-0QEMU_QEMU_HARDDISK_<serial>} (scsi bus) or {@code virtio-<first 20 of serial>}
 * (virtio bus); never by a prefix or suffix, so one serial can never find another volume's disk.
 */
public record Disks(Path byIdDir) {

  /** The device node of the first of {@code serials} that is attached, if any. */
  public Optional<Path> bySerial(List<String> serials) {
    for (String serial : serials) {
      for (String name : DiskSerial.byIdNames(serial)) {
        Path link = byIdDir.resolve(name);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) return Optional.of(resolve(link));
      }
    }
    return Optional.empty();
  }

  private static Path resolve(Path link) {
    try {
      return link.toRealPath();
    } catch (IOException e) {
      return link; // a dangling link: the caller's mount reports the device as missing
    }
  }
}

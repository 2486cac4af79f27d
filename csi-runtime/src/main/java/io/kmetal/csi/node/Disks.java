package io.kmetal.csi.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a hot-plugged disk by its serial. KubeVirt gives each hot-plugged disk the volume's id as
 * serial; udev names it in {@code /dev/disk/by-id} as {@code scsi-0QEMU_QEMU_HARDDISK_<serial>}
 * (scsi bus) or {@code virtio-<serial>} (virtio bus).
 */
public record Disks(Path byIdDir) {

  /** The device node of the disk with this serial, if it is attached. */
  public Optional<Path> bySerial(String serial) throws IOException {
    if (!Files.isDirectory(byIdDir)) return Optional.empty();
    try (Stream<Path> links = Files.list(byIdDir)) {
      return links
          .filter(
              l -> {
                String name = l.getFileName().toString();
                return name.endsWith("_" + serial) || name.equals("virtio-" + serial);
              })
          .findFirst()
          .map(Disks::resolve);
    }
  }

  private static Path resolve(Path link) {
    try {
      return link.toRealPath();
    } catch (IOException e) {
      return link; // a dangling link: the caller's mount reports the device as missing
    }
  }
}

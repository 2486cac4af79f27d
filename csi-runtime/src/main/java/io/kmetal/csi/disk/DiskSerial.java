package io.kmetal.csi.disk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The serial a volume's disk is hot-plugged with, and the names the guest's udev gives a disk with
 * that serial in {@code /dev/disk/by-id}.
 *
 * <p>The serial is the first {@value #LENGTH} hex digits of the SHA-256 of the volume id: the same
 * for the volume's whole life, computable on both sides from the id alone (NodeExpandVolume has no
 * publish context), and inside every limit a serial meets on its way into the guest: KubeVirt
 * admits {@code [A-Za-z0-9_.+-]}, QEMU refuses a {@code scsi-hd} serial longer than {@value
 * #SCSI_MAX} characters, and virtio-blk keeps only the first {@value #VIRTIO_MAX} (the size of its
 * ID field), so a longer serial would reach the guest cut short. 80 bits: two volumes of one VM
 * sharing a serial is as likely as a collision among 2^40 ids.
 *
 * <p>Volumes attached before this rule used their id as serial; the VMI still holds that serial and
 * the controller hands it on in the publish context, so those attachments keep working.
 */
public final class DiskSerial {
  /** Characters of every serial this driver hands to KubeVirt. */
  public static final int LENGTH = 20;

  /** QEMU refuses a longer serial for a SCSI disk ({@code scsi-hd}). */
  public static final int SCSI_MAX = 36;

  /** virtio-blk shows the guest at most this many characters of the serial. */
  public static final int VIRTIO_MAX = 20;

  /** The publish-context key under which the controller tells the node plugin the serial. */
  public static final String PUBLISH_CONTEXT_KEY = "serial";

  /** udev's by-id prefix for a QEMU SCSI hard disk. */
  public static final String SCSI_PREFIX = "scsi-0QEMU_QEMU_HARDDISK_";

  /** udev's by-id prefix for a virtio-blk disk. */
  public static final String VIRTIO_PREFIX = "virtio-";

  private DiskSerial() {}

  /** The serial of volume {@code volumeId}'s disk. */
  public static String of(String volumeId) {
    Objects.requireNonNull(volumeId, "volumeId");
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(volumeId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * The {@code /dev/disk/by-id} names of a disk hot-plugged with {@code serial}: on the SCSI bus
   * the whole serial, on virtio its first {@value #VIRTIO_MAX} characters.
   */
  public static List<String> byIdNames(String serial) {
    String virtio = serial.length() > VIRTIO_MAX ? serial.substring(0, VIRTIO_MAX) : serial;
    return List.of(SCSI_PREFIX + serial, VIRTIO_PREFIX + virtio);
  }
}

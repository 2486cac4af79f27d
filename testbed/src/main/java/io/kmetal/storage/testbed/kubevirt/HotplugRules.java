package io.kmetal.storage.testbed.kubevirt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What KubeVirt v1.9 and QEMU decide about a disk hot-plug, as the simulator enforces it. Written
 * from their behaviour, not from this project's driver, so the driver cannot pass by agreeing with
 * itself. The README's "The KubeVirt/CDI simulator" lists each rule with where it comes from.
 */
final class HotplugRules {
  static final String DECLARATIVE_GATE = "DeclarativeHotplugVolumes";
  static final String LEGACY_GATE = "HotplugVolumes";

  /** KubeVirt's admission: the characters of a disk serial, and its length. */
  private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9_.+-]+");

  private static final int KUBEVIRT_SERIAL_MAX = 256;

  /** QEMU refuses a longer serial on a SCSI disk. */
  static final int QEMU_SCSI_SERIAL_MAX = 36;

  /** virtio-blk's ID field: the guest sees this many characters of the serial at most. */
  static final int VIRTIO_SERIAL_SEEN = 20;

  private HotplugRules() {}

  /**
   * The hot-plug gates of a KubeVirt CR's {@code developerConfiguration}: DeclarativeHotplugVolumes
   * is Beta in v1.9 (on unless disabled), HotplugVolumes deprecated (off unless enabled).
   */
  record Gates(boolean declarative, boolean legacy) {
    static final Gates DEFAULTS = new Gates(true, false);

    static Gates of(List<String> enabled, List<String> disabled) {
      return new Gates(
          enabled.contains(DECLARATIVE_GATE) || !disabled.contains(DECLARATIVE_GATE),
          enabled.contains(LEGACY_GATE));
    }

    boolean hotplug() {
      return declarative || legacy;
    }
  }

  /** virt-api's answer before it reads any VM: gates and the request's shape. */
  static Optional<VirtApi.Reply> refuseAdd(Gates gates, JsonNode options) {
    if (!gates.hotplug()) return Optional.of(gatesOff());
    if (options.path("name").asText("").isEmpty())
      return bad(400, "AddVolumeOptions requires name to be set");
    if (!options.path("disk").isObject())
      return bad(400, "AddVolumeOptions requires disk to not be nil");
    if (!options.path("volumeSource").isObject())
      return bad(400, "AddVolumeOptions requires VolumeSource to not be nil");
    return refuseDisk(options.path("name").asText(), options.path("disk"));
  }

  static Optional<VirtApi.Reply> refuseRemove(Gates gates, JsonNode options) {
    if (!gates.hotplug()) return Optional.of(gatesOff());
    if (options.path("name").asText("").isEmpty())
      return bad(400, "RemoveVolumeOptions requires name to be set");
    return Optional.empty();
  }

  /**
   * The admission of the hot-plugged disk: a {@code disk} device on scsi or virtio (a {@code lun}
   * only on scsi), and a serial KubeVirt accepts.
   */
  static Optional<VirtApi.Reply> refuseDisk(String name, JsonNode disk) {
    String serial = disk.path("serial").asText("");
    if (!serial.isEmpty() && !SERIAL.matcher(serial).matches())
      return bad(
          422,
          "disk " + name + " serial must be made up of the following characters [A-Za-z0-9_.+-]");
    if (serial.length() > KUBEVIRT_SERIAL_MAX)
      return bad(
          422,
          "disk " + name + " serial must be less than or equal to 256 in length, if specified");
    if (disk.path("disk").isObject()) {
      String bus = bus(disk);
      if (!bus.equals("scsi") && !bus.equals("virtio"))
        return bad(
            422,
            "AddVolume request for disk ["
                + name
                + "] requires bus to be 'scsi' or 'virtio'. ["
                + bus
                + "] is not permitted.");
    } else if (disk.path("lun").isObject()) {
      if (!bus(disk).equals("scsi"))
        return bad(
            422,
            "AddVolume request for LUN ["
                + name
                + "] requires bus to be 'scsi'. ["
                + bus(disk)
                + "]"
                + " is not permitted.");
    } else {
      return bad(
          422,
          "AddVolume request for ["
              + name
              + "] requires diskDevice of type 'disk' or 'lun' to be used.");
    }
    return Optional.empty();
  }

  /** The bus of a hot-plug disk: KubeVirt's default for a disk device is virtio. */
  static String bus(JsonNode disk) {
    JsonNode device = disk.path("disk").isObject() ? disk.path("disk") : disk.path("lun");
    return device.path("bus").asText("virtio");
  }

  /** QEMU's refusal to plug the disk into the guest, if it refuses. */
  static Optional<String> qemuRefusal(String bus, String serial) {
    if (bus.equals("scsi") && serial.length() > QEMU_SCSI_SERIAL_MAX)
      return Optional.of("The serial number can't be longer than 36 characters");
    return Optional.empty();
  }

  /** The disk's name in the guest's {@code /dev/disk/by-id}, as udev makes it from the serial. */
  static String byIdName(String bus, String serial) {
    if (bus.equals("virtio"))
      return "virtio-" + serial.substring(0, Math.min(serial.length(), VIRTIO_SERIAL_SEEN));
    return "scsi-0QEMU_QEMU_HARDDISK_" + serial;
  }

  private static VirtApi.Reply gatesOff() {
    return new VirtApi.Reply(
        400,
        "BadRequest",
        "Enable DeclarativeHotplugVolumes or HotplugVolumes feature gate to use this API.");
  }

  private static Optional<VirtApi.Reply> bad(int code, String message) {
    return Optional.of(new VirtApi.Reply(code, code == 400 ? "BadRequest" : "Invalid", message));
  }
}

package io.kmetal.csi.disk;

import java.util.Arrays;
import java.util.Locale;

/**
 * The buses KubeVirt hot-plugs a disk on: its admission refuses any other for a hot-plugged disk
 * ("requires bus to be 'scsi' or 'virtio'", KubeVirt v1.9).
 */
public enum Bus {
  SCSI,
  VIRTIO;

  /** The name as KubeVirt spells it. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the buses KubeVirt hot-plugs on
   */
  public static Bus parse(String value) {
    return Arrays.stream(values())
        .filter(b -> b.wire().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "\""
                        + value
                        + "\" is not a bus KubeVirt hot-plugs disks on; use scsi or virtio"));
  }
}

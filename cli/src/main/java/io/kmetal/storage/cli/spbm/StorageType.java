package io.kmetal.storage.cli.spbm;

import java.util.Locale;
import java.util.Optional;

/** The storage a policy places VMs on: a vSAN cluster type or a device type. */
public enum StorageType {
  ALL_FLASH("allFlash"),
  HYBRID("hybrid"),
  NVME("nvme"),
  SSD("ssd"),
  HDD("hdd");

  static final String ALLOWED = "allFlash, hybrid, nvme, ssd, hdd";

  private final String label;

  StorageType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Case-insensitive; {@code all-flash} as well. */
  public static Optional<StorageType> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (StorageType s : values()) {
      if (s.label.toLowerCase(Locale.ROOT).equals(t)) return Optional.of(s);
    }
    return Optional.empty();
  }
}

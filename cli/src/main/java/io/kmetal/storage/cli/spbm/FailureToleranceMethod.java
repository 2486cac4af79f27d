package io.kmetal.storage.cli.spbm;

import java.util.Locale;
import java.util.Optional;

/** vSAN's failure tolerance method: mirroring, or erasure coding picked by FTT. */
public enum FailureToleranceMethod {
  /** RAID-1: FTT+1 full copies. */
  RAID_1("RAID-1"),
  /** RAID-5/6: RAID-5 (3+1) for FTT=1, RAID-6 (4+2) for FTT=2. */
  RAID_5_6("RAID-5/6"),
  /** RAID-5 named explicitly: FTT=1 only. */
  RAID_5("RAID-5"),
  /** RAID-6 named explicitly: FTT=2 only. */
  RAID_6("RAID-6");

  static final String ALLOWED =
      "RAID-1 (or mirroring), RAID-5/6 (or erasureCoding), RAID-5, RAID-6";

  private final String label;

  FailureToleranceMethod(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean isErasureCoding() {
    return this != RAID_1;
  }

  /** Case-insensitive; also {@code mirroring}, {@code erasureCoding} and the forms without '-'. */
  public static Optional<FailureToleranceMethod> parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    return Optional.ofNullable(
        switch (t) {
          case "raid1", "mirroring" -> RAID_1;
          case "raid5/6", "erasurecoding" -> RAID_5_6;
          case "raid5" -> RAID_5;
          case "raid6" -> RAID_6;
          default -> null;
        });
  }
}

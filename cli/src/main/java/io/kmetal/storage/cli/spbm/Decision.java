package io.kmetal.storage.cli.spbm;

import java.util.Objects;

/**
 * One mapping decision and its reason, printed as {@code gold: replicas 3 (FTT=2 with RAID-1
 * mirroring keeps 3 copies)}; a warning as {@code bronze: warning: ...}.
 */
public record Decision(String tier, String what, String why, boolean warning) {
  public Decision {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(what, "what");
  }

  public static Decision of(String tier, String what, String why) {
    return new Decision(tier, what, why, false);
  }

  public static Decision warning(String tier, String text) {
    return new Decision(tier, text, null, true);
  }

  @Override
  public String toString() {
    if (warning) return tier + ": warning: " + what;
    return tier + ": " + what + (why == null ? "" : " (" + why + ")");
  }
}

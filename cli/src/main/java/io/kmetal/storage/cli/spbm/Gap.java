package io.kmetal.storage.cli.spbm;

import java.util.Objects;

/**
 * A policy setting the tier does not carry, and why: reported, never dropped silently.
 *
 * @param setting the setting as the policy has it, e.g. {@code iopsLimit 5000}
 */
public record Gap(String tier, String setting, String why) {
  public Gap {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(setting, "setting");
    Objects.requireNonNull(why, "why");
  }

  @Override
  public String toString() {
    return tier + ": " + setting + ": " + why;
  }
}

package io.kmetal.storage.cli.spbm;

import java.util.Locale;
import java.util.Optional;

/**
 * A tier name from a policy name: a DNS-1123 label (lowercase letters, digits, '-'; at most 63), so
 * it also serves as a pool name. {@code "vSAN Gold (NVMe)"} becomes {@code vsan-gold-nvme}.
 */
public final class TierNames {
  static final int MAX = 63;

  private TierNames() {}

  /** Empty when the name has no letter or digit to keep. */
  public static Optional<String> of(String policyName) {
    String s =
        policyName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() > MAX) s = s.substring(0, MAX).replaceAll("-+$", "");
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}

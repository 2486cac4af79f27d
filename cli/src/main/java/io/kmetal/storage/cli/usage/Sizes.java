package io.kmetal.storage.cli.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Bytes for people, in binary units as Kubernetes quantities write them: 10Gi, 1.06Gi, 512Mi. */
public final class Sizes {
  private static final String[] UNITS = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private Sizes() {}

  /**
   * {@code bytes} in the largest binary unit that keeps it at least 1, with up to two decimals (the
   * way the quota webhook's messages write sizes).
   */
  public static String human(long bytes) {
    int unit = 0;
    BigDecimal value = BigDecimal.valueOf(bytes);
    BigDecimal kibi = BigDecimal.valueOf(1024);
    while (value.abs().compareTo(kibi) >= 0 && unit < UNITS.length - 1) {
      value = value.divide(kibi);
      unit++;
    }
    return value.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
        + UNITS[unit];
  }
}

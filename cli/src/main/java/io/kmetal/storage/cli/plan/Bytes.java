package io.kmetal.storage.cli.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

/** Byte counts for people: the largest binary unit that keeps a value of at least 1. */
public final class Bytes {
  private static final List<String> UNITS = List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
  private static final BigInteger KI = BigInteger.valueOf(1024);

  private Bytes() {}

  /**
   * {@code 8589934592000} as {@code 7.81Ti}: at most 2 decimals, rounded half up, trailing zeros
   * dropped ({@code 200Gi}); below 1Ki the plain number.
   */
  public static String human(BigInteger bytes) {
    int unit = -1;
    BigInteger scale = BigInteger.ONE;
    while (unit + 1 < UNITS.size() && bytes.compareTo(scale.multiply(KI)) >= 0) {
      scale = scale.multiply(KI);
      unit++;
    }
    if (unit < 0) return bytes.toString();
    BigDecimal v =
        new BigDecimal(bytes)
            .divide(new BigDecimal(scale), 2, RoundingMode.HALF_UP)
            .stripTrailingZeros();
    return (v.scale() < 0 ? v.setScale(0) : v).toPlainString() + UNITS.get(unit);
  }
}

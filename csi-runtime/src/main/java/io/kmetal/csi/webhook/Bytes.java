package io.kmetal.csi.webhook;

import io.kmetal.csi.kube.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Storage sizes: Kubernetes quantities parsed defensively (a hostile {@code 1e999999999} must not
 * cost time or memory) and bytes printed for people ({@code 1.06Gi}).
 */
final class Bytes {
  private static final Pattern QUANTITY =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");
  private static final Pattern EXPONENT =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)[eE][+-]?[0-9]{1,2}");
  private static final int MAX_LENGTH = 40;
  private static final String[] UNITS = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private Bytes() {}

  /**
   * The bytes {@code quantity} stands for, rounded up to a whole byte.
   *
   * @throws IllegalArgumentException naming {@code field} when it is no quantity, negative or
   *     beyond what a long holds
   */
  static long parse(String quantity, String field) {
    if (quantity == null || quantity.isBlank())
      throw new IllegalArgumentException(field + " is missing");
    String q = quantity.strip();
    if (q.length() > MAX_LENGTH
        || !(QUANTITY.matcher(q).matches() || EXPONENT.matcher(q).matches()))
      throw new IllegalArgumentException(
          field + " " + shorten(q) + " is not a Kubernetes quantity (e.g. 10Gi)");
    BigDecimal bytes = Quantities.value(q).setScale(0, RoundingMode.CEILING);
    if (bytes.signum() < 0) throw new IllegalArgumentException(field + " " + q + " is negative");
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
      throw new IllegalArgumentException(field + " " + q + " is larger than 8Ei");
    return bytes.longValueExact();
  }

  /** {@code bytes} in the largest binary unit that keeps it ≥ 1, with up to two decimals. */
  static String human(long bytes) {
    int unit = 0;
    double value = bytes;
    while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    String number =
        BigDecimal.valueOf(value)
            .setScale(2, RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString();
    return number + UNITS[unit];
  }

  /** A value quoted in an error, cut to a readable length. */
  static String shorten(String value) {
    return value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH) + "…";
  }
}

package io.kmetal.csi.kube;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 10Gi}, {@code 1500M}, {@code 1e3}, {@code 100m}) as
 * numbers: a decimal, then a binary suffix, a decimal SI suffix or a decimal exponent.
 */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile(
          "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]{1,2})?");
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
          Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
          Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
          Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
          Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
          Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")));

  private Quantities() {}

  /**
   * The quantity's value. A decimal exponent has at most two digits, so a hostile {@code
   * 1e999999999} costs neither time nor memory; callers bound the text's length.
   *
   * @throws IllegalArgumentException when {@code quantity} is not one
   */
  public static BigDecimal value(String quantity) {
    Matcher m = QUANTITY.matcher(quantity == null ? "" : quantity.strip());
    if (!m.matches())
      throw new IllegalArgumentException(quantity + " is not a Kubernetes quantity (e.g. 10Gi)");
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2) == null ? "" : m.group(2);
    if (!SUFFIXES.containsKey(suffix))
      return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    return number.multiply(SUFFIXES.get(suffix));
  }

  /**
   * The quantity in whole bytes, rounded up.
   *
   * @throws ArithmeticException when it does not fit a long
   */
  public static long bytes(String quantity) {
    return value(quantity).setScale(0, RoundingMode.CEILING).longValueExact();
  }
}

package io.kmetal.storage.model.validation;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities (the grammar of apimachinery's resource.ParseQuantity). */
public final class Quantities {
  private static final Pattern QUANTITY =
      Pattern.compile(
          "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");

  private Quantities() {}

  /** The quantity's value in bytes (or base units), or empty when it is not a quantity. */
  public static Optional<BigDecimal> parse(String text) {
    if (text == null) return Optional.empty();
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) return Optional.empty();
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2) == null ? "" : m.group(2);
    try {
      return Optional.of(number.multiply(multiplier(suffix)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // an exponent beyond what BigDecimal can hold
    }
  }

  private static BigDecimal multiplier(String suffix) {
    return switch (suffix) {
      case "" -> BigDecimal.ONE;
      case "Ki" -> BigDecimal.valueOf(2).pow(10);
      case "Mi" -> BigDecimal.valueOf(2).pow(20);
      case "Gi" -> BigDecimal.valueOf(2).pow(30);
      case "Ti" -> BigDecimal.valueOf(2).pow(40);
      case "Pi" -> BigDecimal.valueOf(2).pow(50);
      case "Ei" -> BigDecimal.valueOf(2).pow(60);
      case "n" -> new BigDecimal("1e-9");
      case "u" -> new BigDecimal("1e-6");
      case "m" -> new BigDecimal("1e-3");
      case "k" -> new BigDecimal("1e3");
      case "M" -> new BigDecimal("1e6");
      case "G" -> new BigDecimal("1e9");
      case "T" -> new BigDecimal("1e12");
      case "P" -> new BigDecimal("1e15");
      case "E" -> new BigDecimal("1e18");
      default -> new BigDecimal("1" + suffix); // a decimal exponent, e.g. e3 or e-3
    };
  }

  /** Reports unless {@code value} is a positive storage quantity such as 10Gi. */
  static void positiveStorage(Problems p, String field, String value) {
    if (!p.required(field, value)) return;
    Optional<BigDecimal> bytes = parse(value);
    if (bytes.isEmpty()) {
      p.add(
          field,
          "\""
              + value
              + "\" is not a Kubernetes quantity: write a number with a binary suffix, e.g."
              + " 10Gi or 500Mi");
    } else if (bytes.get().signum() <= 0) {
      p.add(field, "\"" + value + "\" must be greater than zero");
    }
  }
}

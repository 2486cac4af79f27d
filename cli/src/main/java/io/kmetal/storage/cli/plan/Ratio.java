package io.kmetal.storage.cli.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact, reduced fraction: the planner's factors (11/8 for erasure coding 8+3) stay exact until
 * a byte count is rounded, once, at the end.
 */
public record Ratio(BigInteger numerator, BigInteger denominator) {
  public Ratio {
    Objects.requireNonNull(numerator, "numerator");
    Objects.requireNonNull(denominator, "denominator");
    if (denominator.signum() <= 0) throw new IllegalArgumentException("denominator must be > 0");
    BigInteger gcd = numerator.gcd(denominator);
    if (gcd.signum() > 0 && !gcd.equals(BigInteger.ONE)) {
      numerator = numerator.divide(gcd);
      denominator = denominator.divide(gcd);
    }
  }

  public static Ratio of(long numerator, long denominator) {
    return new Ratio(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  /** The decimal's exact value (1.5 is 3/2). */
  public static Ratio of(BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    if (v.scale() <= 0) return new Ratio(v.toBigIntegerExact(), BigInteger.ONE);
    return new Ratio(v.unscaledValue(), BigInteger.TEN.pow(v.scale()));
  }

  public Ratio times(Ratio other) {
    return new Ratio(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
  }

  public Ratio dividedBy(Ratio other) {
    if (other.numerator.signum() == 0) throw new ArithmeticException("division by zero");
    return new Ratio(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
  }

  /** {@code value} times this fraction, rounded up to a whole number. */
  public BigInteger timesRoundedUp(BigInteger value) {
    BigInteger[] qr = value.multiply(numerator).divideAndRemainder(denominator);
    return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
  }

  /** The value with at most {@code places} decimals, rounded half up, trailing zeros dropped. */
  public BigDecimal decimal(int places) {
    BigDecimal d =
        new BigDecimal(numerator).divide(new BigDecimal(denominator), places, RoundingMode.HALF_UP);
    d = d.stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /** Whether {@link #decimal} loses nothing at {@code places} decimals. */
  public boolean isExactAt(int places) {
    return new BigDecimal(numerator)
            .multiply(BigDecimal.TEN.pow(places))
            .remainder(new BigDecimal(denominator))
            .signum()
        == 0;
  }

  /** {@code 3} or {@code 11/8}. */
  @Override
  public String toString() {
    return denominator.equals(BigInteger.ONE)
        ? numerator.toString()
        : numerator + "/" + denominator;
  }
}

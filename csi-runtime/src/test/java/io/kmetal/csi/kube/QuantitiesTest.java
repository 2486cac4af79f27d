package io.kmetal.csi.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Quantities as the API server writes them, read into numbers. */
class QuantitiesTest {
  @Test
  void binaryAndDecimalSuffixesScaleTheNumber() {
    assertEquals(10L << 30, Quantities.bytes("10Gi"));
    assertEquals(1_500_000_000L, Quantities.bytes("1.5G"));
    assertEquals(1L << 60, Quantities.bytes("1Ei"));
    assertEquals(1_000_000_000_000_000_000L, Quantities.bytes("1E"));
    assertEquals(new BigDecimal("0.100"), Quantities.value("100m"));
  }

  @Test
  void anExponentIsADecimalPowerNotExa() {
    assertEquals(1_000L, Quantities.bytes("1e3"));
    assertEquals(1_200L, Quantities.bytes("1.2E3"));
  }

  @Test
  void aFractionOfAByteRoundsUp() {
    assertEquals(2L, Quantities.bytes("1500m"));
    assertEquals(1L, Quantities.bytes("1n"));
  }

  @Test
  void textThatIsNoQuantityIsRefusedNamingIt() {
    var e = assertThrows(IllegalArgumentException.class, () -> Quantities.value("10GB"));
    assertEquals("10GB is not a Kubernetes quantity (e.g. 10Gi)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Quantities.value("1e999999999"));
    assertThrows(IllegalArgumentException.class, () -> Quantities.value(""));
  }

  @Test
  void aQuantityBeyondALongIsRefused() {
    assertThrows(ArithmeticException.class, () -> Quantities.bytes("16Ei"));
  }
}

package io.kmetal.storage.model.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {
  static Stream<Arguments> quantities() {
    return Stream.of(
        Arguments.of("10Gi", "10737418240"),
        Arguments.of("500Mi", "524288000"),
        Arguments.of("1.5Gi", "1610612736"),
        Arguments.of("1Ki", "1024"),
        Arguments.of("2Ti", "2199023255552"),
        Arguments.of("1e3", "1000"),
        Arguments.of("1E3", "1000"),
        Arguments.of("1e-3", "0.001"),
        Arguments.of("100m", "0.1"),
        Arguments.of("1k", "1000"),
        Arguments.of("5G", "5000000000"),
        Arguments.of("123", "123"),
        Arguments.of(".5", "0.5"),
        Arguments.of("0", "0"),
        Arguments.of("-1Gi", "-1073741824"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("quantities")
  void parsesKubernetesQuantity(String text, String expected) {
    Optional<BigDecimal> value = Quantities.parse(text);

    assertTrue(value.isPresent(), text + " was refused");
    assertEquals(0, new BigDecimal(expected).compareTo(value.get()), text + " = " + value.get());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "ten gigs",
        "10 Gi",
        "",
        " ",
        "Gi",
        "10GB",
        "10gi",
        "10Gi ",
        "1.2.3",
        "1e",
        "1e999999999999"
      })
  void refusesTextThatIsNotAQuantity(String text) {
    assertEquals(Optional.empty(), Quantities.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10Gi", "1e-3", "1e3"})
  void acceptsPositiveStorage(String text) {
    assertEquals(List.of(), storageProblems(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0Gi", "-1Gi"})
  void refusesStorageThatIsNotPositive(String text) {
    assertEquals(
        List.of(new Problem("storage", "\"" + text + "\" must be greater than zero")),
        storageProblems(text));
  }

  @Test
  void refusesNullAsAQuantity() {
    assertEquals(Optional.empty(), Quantities.parse(null));
  }

  private static List<Problem> storageProblems(String text) {
    Problems p = new Problems("");
    Quantities.positiveStorage(p, "storage", text);
    return p.all();
  }
}

package io.kmetal.storage.cli.usage;

import static io.kmetal.storage.cli.usage.HeldNamespaces.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The report as the table and the JSON print it, against golden files in {@code usage/}. */
class UsagePrintersTest {
  private static String printed(UsageReport report, BiConsumer<UsageReport, PrintWriter> printer) {
    StringWriter text = new StringWriter();
    printer.accept(report, new PrintWriter(text));
    return text.toString();
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = UsagePrintersTest.class.getResourceAsStream("/usage/" + name)) {
      if (in == null) throw new IllegalStateException("no golden file usage/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theTableShowsEachTenantItsClustersTheClaimsAndWhatNeedsALook() throws Exception {
    UsageReport report = Survey.take(HeldNamespaces.fleet(), null, NOW);

    assertEquals(golden("fleet.txt"), printed(report, TablePrinter::print));
  }

  @Test
  void theJsonHoldsExactBytesAndNullWhereThereIsNoLimitOrStatus() throws Exception {
    UsageReport report = Survey.take(HeldNamespaces.fleet(), null, NOW);

    assertEquals(golden("fleet.json"), printed(report, JsonPrinter::print));
  }

  @Test
  void anUnderClusterWithoutTenantsSaysSo() {
    assertEquals(
        "no tenant storage quotas in the under cluster (ResourceQuotas labelled"
            + " app.kubernetes.io/name=storage-quota,app.kubernetes.io/component=quota)\n",
        printed(new UsageReport(List.of()), TablePrinter::print));
    assertEquals(
        "{\n  \"tenants\": []\n}\n", printed(new UsageReport(List.of()), JsonPrinter::print));
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "512, 512",
    "1024, 1Ki",
    "268435456, 256Mi",
    "1073741824, 1Gi",
    "1136234735, 1.06Gi",
    "7784628224, 7.25Gi",
    "10737418240, 10Gi",
    "1099511627776, 1Ti"
  })
  void sizesAreInTheLargestBinaryUnitWithUpToTwoDecimals(long bytes, String shown) {
    assertEquals(shown, Sizes.human(bytes));
  }
}

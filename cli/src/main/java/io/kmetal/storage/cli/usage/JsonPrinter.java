package io.kmetal.storage.cli.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The report for scripts: exact bytes and claim counts, {@code null} where the quota sets no limit
 * or its status is not filled yet; the table's notes follow from the fields ({@code quotaStatus},
 * {@code overCommitted}).
 */
public final class JsonPrinter {
  /** Two spaces a level, arrays too, {@code "key": value}: as kubectl prints JSON. */
  private static final ObjectWriter JSON =
      new ObjectMapper()
          .writer(
              new DefaultPrettyPrinter()
                  .withSeparators(
                      Separators.createDefaultInstance()
                          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                          .withArrayEmptySeparator(""))
                  .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

  private JsonPrinter() {}

  public static void print(UsageReport report, PrintWriter out) {
    try {
      out.println(JSON.writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // records of strings and numbers: cannot happen
    }
    out.flush();
  }
}

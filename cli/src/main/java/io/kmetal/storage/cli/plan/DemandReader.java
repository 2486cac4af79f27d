package io.kmetal.storage.cli.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.kmetal.storage.model.validation.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a demand file: YAML ({@code demand: [{tier, vms, averageSize}]}) or CSV (header {@code
 * tier,vms,averageSize}, columns in any order, {@code #} comments and blank lines skipped), chosen
 * by the file's extension. Structure problems are reported here; values are checked by {@link
 * DemandRules}.
 */
public final class DemandReader {
  public static final List<String> FIELDS = List.of("tier", "vms", "averageSize");
  static final String EXAMPLE = "give demand: [{tier: gold, vms: 40, averageSize: 200Gi}]";

  private static final CsvMapper CSV =
      CsvMapper.builder()
          .enable(CsvParser.Feature.WRAP_AS_ARRAY)
          .enable(CsvParser.Feature.ALLOW_COMMENTS)
          .enable(CsvParser.Feature.TRIM_SPACES)
          .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
          .build();

  private DemandReader() {}

  /**
   * The entries of {@code file}, YAML for .yaml/.yml and CSV for .csv; {@link
   * InvalidInputException} when the file as a whole cannot be read (syntax, no entries' list).
   */
  public static DemandFile read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String text = Files.readString(file);
    if (name.endsWith(".csv")) return csv(text, file.toString());
    if (name.endsWith(".yaml") || name.endsWith(".yml")) return yaml(text, file.toString());
    throw new InvalidInputException(
        file.toString(),
        List.of(
            new Problem(
                Input.FILE,
                "has no known extension: name it .yaml or .yml (YAML) or .csv (CSV with the"
                    + " header tier,vms,averageSize)")));
  }

  public static DemandFile yaml(String text, String source) {
    Input in = new Input(source);
    JsonNode root = Input.yaml(text, source, EXAMPLE);
    JsonNode list = in.onlyKey(root, "demand", EXAMPLE);
    List<DemandEntry> entries = new ArrayList<>();
    if (list == null || list.isNull()) {
      in.add("demand", "is required: " + EXAMPLE);
    } else if (!list.isArray()) {
      in.add("demand", "must be a list: " + EXAMPLE);
    } else {
      for (int i = 0; i < list.size(); i++) {
        String entry = "demand[" + i + "]";
        JsonNode e = list.get(i);
        if (!e.isObject()) {
          in.add(entry, "must be a mapping {tier, vms, averageSize}");
          continue;
        }
        in.onlyKnown(e, entry, FIELDS);
        entries.add(
            new DemandEntry(
                entry,
                in.scalar(e, entry, "tier"),
                in.scalar(e, entry, "vms"),
                in.scalar(e, entry, "averageSize")));
      }
    }
    if (entries.isEmpty()) in.throwIfAny();
    return new DemandFile(source, entries, in.problems());
  }

  public static DemandFile csv(String text, String source) {
    Input in = new Input(source);
    List<DemandEntry> entries = new ArrayList<>();
    int[] columns = null; // index of tier, vms, averageSize in a row
    try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(text)) {
      while (rows.hasNextValue()) {
        int line = rows.getParser().currentLocation().getLineNr();
        String[] row = rows.nextValue();
        if (columns == null) {
          columns = header(in, line, row);
          if (columns == null) break;
          continue;
        }
        String entry = "line " + line;
        if (row.length > FIELDS.size()) {
          in.add(
              entry,
              "has " + row.length + " values; give " + FIELDS.size() + " (tier,vms,averageSize)");
          continue;
        }
        entries.add(
            new DemandEntry(
                entry, cell(row, columns[0]), cell(row, columns[1]), cell(row, columns[2])));
      }
    } catch (JsonProcessingException e) {
      in.add(Input.FILE, "is not valid CSV: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not expected: the text is already in memory
    }
    if (columns == null && !in.hasProblems()) {
      in.add(Input.FILE, "is empty: give the header tier,vms,averageSize and one line per tier");
    }
    if (entries.isEmpty()) in.throwIfAny();
    return new DemandFile(source, entries, in.problems());
  }

  /** Column indexes of tier, vms and averageSize; null after reporting a wrong header. */
  private static int[] header(Input in, int line, String[] row) {
    int[] columns = {-1, -1, -1};
    Set<String> seen = new HashSet<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < row.length; i++) {
      int f = FIELDS.indexOf(row[i]);
      if (f < 0 || !seen.add(row[i])) wrong.add(row[i]);
      else columns[f] = i;
    }
    if (!wrong.isEmpty() || seen.size() != FIELDS.size()) {
      in.add(
          "line " + line,
          "the header is \""
              + String.join(",", row)
              + "\"; it must name the columns tier, vms and averageSize once each, e.g."
              + " tier,vms,averageSize");
      return null;
    }
    return columns;
  }

  private static String cell(String[] row, int column) {
    if (column >= row.length || row[column].isEmpty()) return null;
    return row[column];
  }
}

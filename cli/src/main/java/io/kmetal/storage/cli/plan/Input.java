package io.kmetal.storage.cli.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Quantities;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one input file's values field by field and collects every problem with its place: {@code
 * demand[2].vms} in YAML, {@code line 3, vms} in CSV. Values arrive as text (YAML scalars and CSV
 * cells alike), so both formats give the same messages.
 */
public final class Input {
  /** The path of problems about the file as a whole. */
  public static final String FILE = "(file)";

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final Pattern ENTRY = Pattern.compile("\\w+\\[(\\d+)]|line (\\d+)");

  private final String source;
  private final List<Problem> problems = new ArrayList<>();

  public Input(String source) {
    this.source = source;
  }

  /** Continues the problems an earlier stage found in the same file. */
  public Input(String source, List<Problem> earlier) {
    this.source = source;
    problems.addAll(earlier);
  }

  public String source() {
    return source;
  }

  public void add(String field, String message) {
    problems.add(new Problem(field, message));
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  private boolean reported(String field) {
    return problems.stream().anyMatch(p -> p.field().equals(field));
  }

  /** Throws every problem, in the order of the entries they belong to (the file's own first). */
  public void throwIfAny() {
    if (problems.isEmpty()) return;
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingLong(p -> entryOrder(p.field())));
    throw new InvalidInputException(source, sorted);
  }

  /** 2 for {@code demand[2].vms} or {@code line 2, vms}; -1 for the file's own problems. */
  private static long entryOrder(String field) {
    Matcher m = ENTRY.matcher(field);
    if (!m.lookingAt()) return -1;
    return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /** {@code demand[2].vms}, or {@code line 3, vms} for a CSV line. */
  public static String field(String entry, String field) {
    return entry.startsWith("line ") ? entry + ", " + field : entry + "." + field;
  }

  /**
   * The YAML document of {@code text} as a tree; an empty or malformed document is the one problem.
   */
  public static JsonNode yaml(String text, String source, String example) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          source,
          List.of(new Problem(FILE, "is not valid YAML" + at(e) + ": " + e.getOriginalMessage())));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidInputException(source, List.of(new Problem(FILE, "is empty: " + example)));
    }
    return root;
  }

  /**
   * The value of {@code key} in a document whose root must be a mapping with that one key (null
   * when absent); a root of another kind stops the reading here, other keys are reported.
   */
  public JsonNode onlyKey(JsonNode root, String key, String example) {
    if (!root.isObject()) {
      add(FILE, "must be a mapping with the key " + key + ": " + example);
      throwIfAny();
    }
    onlyKnown(root, FILE, List.of(key));
    return root.get(key);
  }

  /** Reports each field of {@code node} not in {@code known}, naming the known ones. */
  public void onlyKnown(JsonNode node, String entry, List<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        add(
            entry.equals(FILE) ? name : field(entry, name),
            "unknown field; known fields here: " + String.join(", ", known));
      }
    }
  }

  /**
   * The scalar {@code node.name} as text, null when absent or empty; a list or mapping is reported.
   */
  public String scalar(JsonNode node, String entry, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) return null;
    if (v.isContainerNode()) {
      add(
          field(entry, name),
          "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
      return null;
    }
    return v.asText();
  }

  /**
   * {@code value} unless it is missing or blank, which is reported (unless the field's value was
   * already reported, e.g. as a list).
   */
  public String required(String value, String entry, String name) {
    if (value == null || value.isBlank()) {
      if (!reported(field(entry, name))) add(field(entry, name), "is required");
      return null;
    }
    return value.strip();
  }

  /** A whole number in [min, max]; null (after reporting) otherwise or when absent. */
  public Long wholeNumber(String value, String entry, String name, long min, long max) {
    if (value == null) return null;
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      add(field(entry, name), "\"" + value + "\" is not a whole number");
      return null;
    }
    if (n < min || n > max) {
      String range = max == Long.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
      add(field(entry, name), n + " is out of range; use a whole number " + range);
      return null;
    }
    return n;
  }

  /** true or false; null (after reporting) otherwise or when absent. */
  public Boolean bool(String value, String entry, String name) {
    if (value == null) return null;
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.equals("true")) return true;
    if (v.equals("false")) return false;
    add(field(entry, name), "\"" + value + "\" is not true or false");
    return null;
  }

  /**
   * A storage quantity (200Gi, 1.5Ti, 500G) as whole bytes greater than zero; null (after
   * reporting) otherwise or when absent.
   */
  public BigInteger bytes(String value, String entry, String name) {
    if (value == null) return null;
    Optional<BigDecimal> q = Quantities.parse(value.strip());
    String f = field(entry, name);
    if (q.isEmpty()) {
      add(
          f,
          "\""
              + value
              + "\" is not a Kubernetes quantity: write a number with a binary suffix, e.g. 200Gi"
              + " or 1.5Ti (Gi = 2^30 bytes; G = 10^9)");
      return null;
    }
    if (q.get().signum() <= 0) {
      add(f, "\"" + value + "\" must be greater than zero");
      return null;
    }
    try {
      return q.get().toBigIntegerExact();
    } catch (ArithmeticException e) {
      add(
          f,
          "\""
              + value
              + "\" is not a whole number of bytes ("
              + q.get().stripTrailingZeros().toPlainString()
              + ")");
      return null;
    }
  }

  private static String at(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    return l == null || l.getLineNr() < 0
        ? ""
        : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }
}

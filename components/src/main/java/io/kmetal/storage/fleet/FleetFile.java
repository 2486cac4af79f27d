package io.kmetal.storage.fleet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.validation.InvalidSpecException;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a fleet file ({@code storageTiers}, {@code tenantStorages}, {@code hppOverlays}, each entry
 * the component inputs field for field). Unknown fields are refused, so a typo never silently
 * becomes a default.
 */
public final class FleetFile {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private FleetFile() {}

  /** Parses and validates; every problem is reported at once. */
  public static Fleet load(Path file) throws IOException {
    return Validator.requireValid(parse(Files.readString(file), file.toString()));
  }

  /** Parses without the model's validation rules (structure and field names only). */
  public static Fleet parse(String yaml, String source) {
    try (JsonParser parser = YAML.createParser(yaml)) {
      // readValue refuses a document without content ("No content to map") before the check below
      Fleet fleet = parser.nextToken() == null ? null : YAML.readValue(parser, Fleet.class);
      if (fleet == null) {
        throw invalid(
            "(file)", source + " is empty: give storageTiers, tenantStorages or hppOverlays");
      }
      return fleet;
    } catch (JsonProcessingException e) {
      throw translate(e, source, "");
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not expected: the text is already in memory
    }
  }

  /**
   * Maps plain maps and lists (component inputs sent by the Pulumi engine) onto {@code type} with
   * the same strictness as a fleet file; problems name the field below {@code path}.
   */
  public static <T> T convert(Object plain, Class<T> type, String path) {
    try {
      return YAML.treeToValue(YAML.valueToTree(plain), type);
    } catch (JsonProcessingException e) {
      throw translate(e, "the inputs", path);
    }
  }

  private static InvalidSpecException translate(
      JsonProcessingException e, String source, String prefix) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : "; known fields here: "
                  + u.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "));
      return invalid(
          prefixed(prefix, path(u)),
          "unknown field \"" + u.getPropertyName() + "\"" + at(u) + known);
    }
    if (e instanceof JsonMappingException m) {
      if (m.getCause() instanceof JsonParseException syntax) {
        // a syntax error met inside a list arrives wrapped with the path of the list
        return invalid(
            "(file)",
            source + " is not valid YAML" + at(syntax) + ": " + syntax.getOriginalMessage());
      }
      return invalid(
          prefixed(prefix, path(m)),
          "cannot read this value" + at(m) + ": " + m.getOriginalMessage().replaceAll("\\s+", " "));
    }
    return invalid("(file)", source + " is not valid YAML" + at(e) + ": " + e.getOriginalMessage());
  }

  private static String prefixed(String prefix, String path) {
    if (prefix.isEmpty()) return path;
    return path.equals("(file)") ? prefix : prefix + "." + path;
  }

  private static InvalidSpecException invalid(String field, String message) {
    return new InvalidSpecException(List.of(new Problem(field, message)));
  }

  /** {@code storageTiers[0].backend.localPath} from Jackson's reference chain. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(file)" : sb.toString();
  }

  private static String at(JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    return l == null || l.getLineNr() < 0
        ? ""
        : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }
}

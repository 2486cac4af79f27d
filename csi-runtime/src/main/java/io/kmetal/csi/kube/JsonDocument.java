package io.kmetal.csi.kube;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A JSON document as an API server returned it, read one field at a time by JSON pointer with
 * Jackson's streaming parser. The node plugin reads three strings of its Node; Jackson's object
 * mapper would load some three hundred classes the process keeps for its whole life ({@code
 * ./kmetal bench csi start}).
 */
public final class JsonDocument {
  private static final JsonFactory JSON = new JsonFactory();
  private final byte[] json;

  public JsonDocument(byte[] json) {
    this.json = json.clone();
  }

  /**
   * The string at {@code pointer}; empty when the document has none there or holds another type.
   *
   * @throws UncheckedIOException when the document is not JSON
   */
  public Optional<String> text(JsonPointer pointer) {
    try (JsonParser parser =
        new FilteringParserDelegate(
            JSON.createParser(json),
            new JsonPointerBasedFilter(pointer),
            TokenFilter.Inclusion.ONLY_INCLUDE_ALL,
            false)) {
      return parser.nextToken() == JsonToken.VALUE_STRING
          ? Optional.of(parser.getText())
          : Optional.empty();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pointer to {@code keys}, each escaped as RFC 6901 asks (an annotation key holds '/'). */
  public static JsonPointer pointer(String... keys) {
    JsonPointer pointer = JsonPointer.empty();
    for (String key : keys) pointer = pointer.appendProperty(key);
    return pointer;
  }
}

package io.kmetal.storage.provider;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.pulumi.provider.internal.properties.PropertyValue;
import io.kmetal.storage.testbed.FixtureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Component inputs as the engine sends them: plain YAML/JSON trees turned into PropertyValues. */
final class EngineValues {
  private EngineValues() {}

  static PropertyValue of(Object plain) {
    if (plain == null) return PropertyValue.NULL;
    if (plain instanceof String s) return PropertyValue.of(s);
    if (plain instanceof Boolean b) return PropertyValue.of(b);
    if (plain instanceof Number n) return PropertyValue.of(n.doubleValue());
    if (plain instanceof List<?> l)
      return PropertyValue.of(l.stream().map(EngineValues::of).toList());
    if (plain instanceof Map<?, ?> m) return PropertyValue.of(inputs(m));
    throw new IllegalArgumentException("not a plain value: " + plain);
  }

  static Map<String, PropertyValue> inputs(Map<?, ?> plain) {
    Map<String, PropertyValue> out = new LinkedHashMap<>();
    plain.forEach((k, v) -> out.put((String) k, of(v)));
    return out;
  }

  static Map<String, PropertyValue> json(String json) {
    try {
      return inputs(new JsonMapper().readValue(json, Map.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Entry {@code index} of list {@code key} of the acceptance fleet, as component inputs. */
  static Map<String, Object> fleetEntry(String key, int index) {
    @SuppressWarnings("unchecked")
    Map<String, Object> entry = (Map<String, Object>) ((List<?>) fleet().get(key)).get(index);
    return new LinkedHashMap<>(entry);
  }

  /** The acceptance fleet as a plain tree: a StoragePlatform's inputs. */
  static Map<String, Object> fleet() {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> fleet =
          new YAMLMapper().readValue(FixtureFiles.acceptanceFleet().toFile(), Map.class);
      return fleet;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

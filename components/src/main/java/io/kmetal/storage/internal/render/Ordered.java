package io.kmetal.storage.internal.render;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Insertion-ordered maps for rendered objects. {@code Map.of} iterates in an order that changes
 * from one JVM run to the next, which would make rendered YAML and Pulumi inputs unstable.
 */
final class Ordered {
  private Ordered() {}

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A copy sorted by key, for maps that come from input records. */
  static <V> Map<String, V> sorted(Map<String, V> map) {
    return new TreeMap<>(map);
  }
}

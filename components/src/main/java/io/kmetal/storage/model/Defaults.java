package io.kmetal.storage.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Null-safe helpers for the records' canonical constructors.
 *
 * <p>The copies are unmodifiable but keep null elements and values (a YAML list entry left empty, a
 * key without a value): records never reject input, the validator reports them with their field
 * path.
 */
final class Defaults {
  private Defaults() {}

  static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }

  static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(value));
  }

  static <K, V> Map<K, V> map(Map<K, V> value) {
    return value == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(value));
  }
}

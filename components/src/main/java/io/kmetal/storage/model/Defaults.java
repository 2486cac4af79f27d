package io.kmetal.storage.model;

import java.lang.reflect.RecordComponent;
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

  /**
   * {@code record} again through its canonical constructor with component {@code name} set to
   * {@code value}, so that defaults derived from it are derived anew.
   */
  @SuppressWarnings("unchecked")
  static <R extends Record> R with(R record, String name, Object value) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        args[i] =
            components[i].getName().equals(name)
                ? value
                : components[i].getAccessor().invoke(record);
      }
      return (R) record.getClass().getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
    }
  }

  static <K, V> Map<K, V> map(Map<K, V> value) {
    return value == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(value));
  }
}

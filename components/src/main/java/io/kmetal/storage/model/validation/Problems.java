package io.kmetal.storage.model.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects problems under a field path; {@link #at} narrows the path for nested objects. */
final class Problems {
  private final String path;
  private final List<Problem> sink;

  Problems(String root) {
    this(root, new ArrayList<>());
  }

  private Problems(String path, List<Problem> sink) {
    this.path = path;
    this.sink = sink;
  }

  Problems at(String field) {
    return new Problems(join(path, field), sink);
  }

  Problems at(String list, int index) {
    return new Problems(join(path, list) + "[" + index + "]", sink);
  }

  void add(String field, String message) {
    sink.add(new Problem(join(path, field), message));
  }

  void here(String message) {
    sink.add(new Problem(path.isEmpty() ? "(input)" : path, message));
  }

  boolean required(String field, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  void oneOf(String field, String value, Collection<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      add(field, "\"" + value + "\" is not allowed; use one of " + String.join(", ", allowed));
    }
  }

  List<Problem> all() {
    return List.copyOf(sink);
  }

  private static String join(String path, String field) {
    if (path.isEmpty()) return field;
    if (field.isEmpty()) return path;
    return path + "." + field;
  }
}

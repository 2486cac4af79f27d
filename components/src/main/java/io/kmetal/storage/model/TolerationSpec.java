package io.kmetal.storage.model;

/**
 * A pod toleration, as in a pod spec: {@code operator} Exists (any value; {@code value} unset) or
 * Equal (the given {@code value}); {@code effect} null tolerates every effect. A key is required:
 * tolerating every taint is not offered.
 */
public record TolerationSpec(String key, String operator, String value, String effect) {
  public TolerationSpec {
    operator = Defaults.or(operator, "Equal");
  }
}

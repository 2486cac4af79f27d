package io.kmetal.storage.model.validation;

import java.util.Objects;

/**
 * One invalid input: the field path (e.g. {@code storageTiers[2].backend.cephRbd.pool}) and why.
 */
public record Problem(String field, String message) {
  public Problem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}

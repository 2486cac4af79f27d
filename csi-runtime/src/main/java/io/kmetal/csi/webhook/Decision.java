package io.kmetal.csi.webhook;

import java.util.List;

/**
 * The answer to one review: allowed or refused with an HTTP-like code and a message for the person
 * who created the claim; warnings are shown by kubectl either way.
 */
record Decision(boolean allowed, int code, String reason, String message, List<String> warnings) {
  Decision {
    warnings = List.copyOf(warnings);
  }

  static Decision allow() {
    return new Decision(true, 200, "", "", List.of());
  }

  static Decision allowWithWarning(String warning) {
    return new Decision(true, 200, "", "", List.of(warning));
  }

  /** Refused because the tenant's quota would be exceeded. */
  static Decision forbidden(String message) {
    return new Decision(false, 403, "Forbidden", message, List.of());
  }

  /** Refused because the claim in the review cannot be read. */
  static Decision invalid(String message) {
    return new Decision(false, 400, "BadRequest", message, List.of());
  }
}

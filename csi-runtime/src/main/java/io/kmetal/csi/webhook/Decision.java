package io.kmetal.csi.webhook;

import java.util.List;

/**
 * The answer to one review: allowed or refused with an HTTP-like code and a message for the person
 * who created the claim; warnings are shown by kubectl either way.
 *
 * @param refusedFor why it was refused, for the refusals metric: what of the quota ran out ({@link
 *     Refusal#STORAGE}, {@link Refusal#VOLUMES}, {@link Refusal#SNAPSHOTS}; a claim may exhaust
 *     two) or {@link Refusal#INVALID}; empty when allowed
 */
record Decision(
    boolean allowed,
    int code,
    String reason,
    String message,
    List<String> warnings,
    List<Refusal> refusedFor) {
  Decision {
    warnings = List.copyOf(warnings);
    refusedFor = List.copyOf(refusedFor);
  }

  /** What a refusal was for: the label value of {@code kmetal_webhook_refusals_total}. */
  enum Refusal {
    STORAGE,
    VOLUMES,
    SNAPSHOTS,
    INVALID;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static Decision allow() {
    return new Decision(true, 200, "", "", List.of(), List.of());
  }

  static Decision allowWithWarning(String warning) {
    return new Decision(true, 200, "", "", List.of(warning), List.of());
  }

  /** Refused because the tenant's quota would be exceeded in {@code exhausted}. */
  static Decision forbidden(String message, List<Refusal> exhausted) {
    return new Decision(false, 403, "Forbidden", message, List.of(), exhausted);
  }

  /** Refused because the claim in the review cannot be read. */
  static Decision invalid(String message) {
    return new Decision(false, 400, "BadRequest", message, List.of(), List.of(Refusal.INVALID));
  }
}

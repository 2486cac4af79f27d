package io.kmetal.csi.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The quota decision, a pure function of the policy, the under cluster's snapshot and the
 * reservations (which it updates: an admitted claim reserves its size, a deleted one releases it).
 * Decisions run one at a time per tenant, so each sees the reservations of the ones before.
 */
final class Admission {
  static final String ALL_CLASSES = "requests.storage";

  private Admission() {}

  static Decision decide(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Instant now) {
    return decide(policy, usage, reservations, review, now, 0);
  }

  /**
   * @param heldElsewhere room other replicas of the webhook hold (their grants), counted as used
   */
  static Decision decide(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Instant now,
      long heldElsewhere) {
    if (!review.isClaim())
      return Decision.allowWithWarning(
          "kmetal quota webhook: "
              + review.resource()
              + " is not checked (only persistentvolumeclaims); the webhook's rules select too"
              + " much");
    return switch (review.operation()) {
      case "CREATE" ->
          admit(policy, usage, reservations, review, review.object(), 0, now, heldElsewhere);
      case "UPDATE" -> update(policy, usage, reservations, review, now, heldElsewhere);
      case "DELETE" -> release(reservations, review);
      default -> Decision.allow();
    };
  }

  /** Drops what the under cluster now holds in full, and what expired; returns how many. */
  static int prune(Usage usage, Map<String, Reservation> reservations, Instant now) {
    int before = reservations.size();
    reservations.entrySet().removeIf(e -> e.getValue().done(usage, e.getKey(), now));
    return before - reservations.size();
  }

  private static Decision update(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Instant now,
      long heldElsewhere) {
    Claim claim = review.object();
    if (!policy.governs(claim) || claim.requestBytes() <= review.oldObject().requestBytes())
      return Decision.allow();
    String key = claim.key(review.cluster());
    Reservation held = reservations.get(key);
    long committed =
        Math.max(
            policy.underBytes(review.oldObject()),
            Math.max(usage.provisioned(key), held == null ? 0 : held.bytes()));
    return admit(policy, usage, reservations, review, claim, committed, now, heldElsewhere);
  }

  /** Admits {@code claim} growing the tenant's total from {@code committed} to its CDI size. */
  private static Decision admit(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Claim claim,
      long committed,
      Instant now,
      long heldElsewhere) {
    if (!policy.governs(claim)) return Decision.allow();
    String key = claim.key(review.cluster());
    long target = policy.underBytes(claim);
    long need = Math.max(0, target - committed);
    long pending = heldElsewhere;
    for (var e : reservations.entrySet())
      if (!e.getKey().equals(key)) pending += e.getValue().pending(usage, e.getKey());
    List<String> exhausted = new ArrayList<>();
    for (String resource : List.of(policy.classKey(), ALL_CLASSES)) {
      Long hard = usage.hard().get(resource);
      if (hard == null) continue;
      long used = claimed(policy, usage, resource);
      long left = hard - used - pending;
      if (need > left)
        exhausted.add(
            resource
                + " has "
                + Bytes.human(used)
                + " used"
                + (pending > 0
                    ? " and " + Bytes.human(pending) + " admitted but not yet provisioned"
                    : "")
                + " of hard "
                + Bytes.human(hard)
                + ", "
                + Bytes.human(Math.max(0, left))
                + " left");
    }
    if (!exhausted.isEmpty())
      return Decision.forbidden(
          "insufficient storage quota: ResourceQuota "
              + policy.quotaRef()
              + " exhausted: claim "
              + claim.ref()
              + " in tenant cluster "
              + review.cluster()
              + (committed > 0 ? " grows by " : " needs ")
              + Bytes.human(need)
              + " ("
              + Bytes.human(claim.requestBytes())
              + " requested"
              + (target != claim.requestBytes()
                  ? ", " + Bytes.human(target) + " as a CDI volume"
                  : "")
              + "), but "
              + String.join("; ", exhausted));
    if (need > 0 && !review.dryRun())
      reservations.put(
          key,
          new Reservation(
              review.cluster(), claim.ref(), target, now.plus(policy.reservationTtl())));
    return usage.quotaExists()
        ? Decision.allow()
        : Decision.allowWithWarning(
            "kmetal quota webhook: no ResourceQuota " + policy.quotaRef() + " to check against");
  }

  /**
   * The room left in the quota after what the under cluster holds, {@code reservations} and what
   * other replicas hold: the least over the quota's storage limits, {@link Long#MAX_VALUE} when it
   * sets none.
   */
  static long room(
      Policy policy, Usage usage, Map<String, Reservation> reservations, long heldElsewhere) {
    long pending = heldElsewhere;
    for (var e : reservations.entrySet()) pending += e.getValue().pending(usage, e.getKey());
    long room = Long.MAX_VALUE;
    for (String resource : List.of(policy.classKey(), ALL_CLASSES)) {
      Long hard = usage.hard().get(resource);
      if (hard == null) continue;
      long used = claimed(policy, usage, resource);
      room = Math.min(room, hard - used - pending);
    }
    return Math.max(0, room);
  }

  /** What the under cluster's claims hold against {@code resource}, counted from the claims. */
  private static long claimed(Policy policy, Usage usage, String resource) {
    long sum = 0;
    for (Usage.UnderClaim c : usage.claims().values())
      if (resource.equals(ALL_CLASSES) || c.storageClass().equals(policy.infraStorageClass()))
        sum += c.bytes();
    return sum;
  }

  private static Decision release(Map<String, Reservation> reservations, Review review) {
    if (!review.dryRun()) reservations.remove(review.oldObject().key(review.cluster()));
    return Decision.allow();
  }
}

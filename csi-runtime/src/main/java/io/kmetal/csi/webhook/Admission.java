package io.kmetal.csi.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The quota decision, a pure function of the policy, the under cluster's snapshot and the
 * reservations (which it updates: an admitted claim reserves its size and, while new, a volume; a
 * deleted one releases both). Decisions run one at a time per tenant, so each sees the reservations
 * of the ones before.
 */
final class Admission {
  static final String ALL_CLASSES = "requests.storage";
  static final String ALL_CLAIMS = "persistentvolumeclaims";

  private Admission() {}

  static Decision decide(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Instant now) {
    return decide(policy, usage, reservations, review, now, Amount.NONE);
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
      Amount heldElsewhere) {
    if (review.isSnapshot()) return snapshot(policy, usage, reservations, review, now);
    if (!review.isClaim())
      return Decision.allowWithWarning(
          "kmetal quota webhook: "
              + review.resource()
              + " is not checked (only persistentvolumeclaims, and volumesnapshots on CREATE and"
              + " DELETE); the webhook's rules select too much");
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
      Amount heldElsewhere) {
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

  /**
   * Admits {@code claim} growing the tenant's total from {@code committed} to its CDI size; a claim
   * being created ({@code committed} 0) also takes one of the tenant's volumes.
   */
  private static Decision admit(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Claim claim,
      long committed,
      Instant now,
      Amount heldElsewhere) {
    if (!policy.governs(claim)) return Decision.allow();
    String key = claim.key(review.cluster());
    boolean created = "CREATE".equals(review.operation());
    long target = policy.underBytes(claim);
    long need = Math.max(0, target - committed);
    Amount pending = pending(usage, reservations, key).plus(heldElsewhere);
    List<String> exhausted = new ArrayList<>();
    for (String resource : List.of(policy.classKey(), ALL_CLASSES))
      check(usage, resource, claimed(policy, usage, resource, false), pending.bytes(), need, true)
          .ifPresent(exhausted::add);
    int bytesExhausted = exhausted.size();
    if (created)
      for (String resource : List.of(policy.classCountKey(), ALL_CLAIMS))
        check(usage, resource, claimed(policy, usage, resource, true), pending.volumes(), 1, false)
            .ifPresent(exhausted::add);
    boolean volumesExhausted = exhausted.size() > bytesExhausted;
    List<Decision.Refusal> refusedFor = new ArrayList<>();
    if (bytesExhausted > 0) refusedFor.add(Decision.Refusal.STORAGE);
    if (volumesExhausted) refusedFor.add(Decision.Refusal.VOLUMES);
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
              + (volumesExhausted ? " and 1 volume" : "")
              + " ("
              + Bytes.human(claim.requestBytes())
              + " requested"
              + (target != claim.requestBytes()
                  ? ", " + Bytes.human(target) + " as a CDI volume"
                  : "")
              + "), but "
              + String.join("; ", exhausted),
          refusedFor);
    if ((need > 0 || created) && !review.dryRun())
      reservations.put(
          key,
          new Reservation(
              review.cluster(), claim.ref(), target, now.plus(policy.reservationTtl())));
    return usage.quotaExists()
        ? Decision.allow()
        : Decision.allowWithWarning(
            "kmetal quota webhook: no ResourceQuota " + policy.quotaRef() + " to check against");
  }

  /** Why {@code need} more does not fit under the quota's {@code resource}, if it does not. */
  private static Optional<String> check(
      Usage usage, String resource, long used, long pending, long need, boolean bytes) {
    Long hard = usage.hard().get(resource);
    if (hard == null) return Optional.empty();
    long left = hard - used - pending;
    if (need <= left) return Optional.empty();
    LongFunction<String> show = bytes ? Bytes::human : Long::toString;
    return Optional.of(
        resource
            + " has "
            + show.apply(used)
            + " used"
            + (pending > 0
                ? " and " + show.apply(pending) + " admitted but not yet provisioned"
                : "")
            + " of hard "
            + show.apply(hard)
            + ", "
            + show.apply(Math.max(0, left))
            + " left");
  }

  /**
   * The room left in the quota after what the under cluster holds, {@code reservations} and what
   * other replicas hold: the least over the quota's storage limits and over its claim-count limits,
   * {@link Long#MAX_VALUE} where it sets none.
   */
  static Amount room(
      Policy policy, Usage usage, Map<String, Reservation> reservations, Amount heldElsewhere) {
    Amount pending = pending(usage, reservations, null).plus(heldElsewhere);
    long bytes = Long.MAX_VALUE;
    for (String resource : List.of(policy.classKey(), ALL_CLASSES)) {
      Long hard = usage.hard().get(resource);
      if (hard != null)
        bytes = Math.min(bytes, hard - claimed(policy, usage, resource, false) - pending.bytes());
    }
    long volumes = Long.MAX_VALUE;
    for (String resource : List.of(policy.classCountKey(), ALL_CLAIMS)) {
      Long hard = usage.hard().get(resource);
      if (hard != null)
        volumes =
            Math.min(volumes, hard - claimed(policy, usage, resource, true) - pending.volumes());
    }
    return new Amount(Math.max(0, bytes), Math.max(0, volumes));
  }

  /**
   * The tenant class's quota as the webhook sees it: its hard limits (-1 where the quota sets
   * none), what the under cluster's claims of the class hold, and what admitted claims not yet
   * provisioned add (the ledger's reservations).
   */
  record Standing(
      long hardBytes,
      long usedBytes,
      long pendingBytes,
      long hardVolumes,
      long usedVolumes,
      long pendingVolumes,
      long hardSnapshots,
      long usedSnapshots,
      long pendingSnapshots,
      Map<String, ClusterStanding> clusters) {}

  /**
   * One tenant cluster's share of the tenant class: its under claims (by their tenant-cluster
   * label; "" for claims without one) and its admitted, unprovisioned claims.
   */
  record ClusterStanding(long usedBytes, long pendingBytes, long usedVolumes, long pendingVolumes) {
    ClusterStanding plus(ClusterStanding o) {
      return new ClusterStanding(
          usedBytes + o.usedBytes,
          pendingBytes + o.pendingBytes,
          usedVolumes + o.usedVolumes,
          pendingVolumes + o.pendingVolumes);
    }
  }

  static Standing standing(Policy policy, Usage usage, Map<String, Reservation> reservations) {
    Amount pending = pending(usage, reservations, null);
    long pendingSnapshots = 0;
    for (var e : reservations.entrySet())
      pendingSnapshots += e.getValue().pendingSnapshots(usage, e.getKey());
    return new Standing(
        usage.hard().getOrDefault(policy.classKey(), -1L),
        claimed(policy, usage, policy.classKey(), false),
        pending.bytes(),
        usage.hard().getOrDefault(policy.classCountKey(), -1L),
        claimed(policy, usage, policy.classCountKey(), true),
        pending.volumes(),
        usage.hard().getOrDefault(Policy.SNAPSHOT_COUNT_KEY, -1L),
        usage.snapshots().size(),
        pendingSnapshots,
        clusters(policy, usage, reservations));
  }

  private static Map<String, ClusterStanding> clusters(
      Policy policy, Usage usage, Map<String, Reservation> reservations) {
    Map<String, ClusterStanding> out = new java.util.TreeMap<>();
    for (Usage.UnderClaim c : usage.claims().values())
      if (c.storageClass().equals(policy.infraStorageClass()))
        out.merge(c.cluster(), new ClusterStanding(c.bytes(), 0, 1, 0), ClusterStanding::plus);
    for (var e : reservations.entrySet()) {
      if (Reservation.isSnapshot(e.getKey())) continue;
      long bytes = e.getValue().pending(usage, e.getKey());
      long volumes = e.getValue().pendingVolumes(usage, e.getKey());
      if (bytes > 0 || volumes > 0)
        out.merge(
            e.getValue().cluster(),
            new ClusterStanding(0, bytes, 0, volumes),
            ClusterStanding::plus);
    }
    return out;
  }

  /** What the reservations but {@code except}'s add to the under cluster's own count. */
  private static Amount pending(Usage usage, Map<String, Reservation> reservations, String except) {
    Amount sum = Amount.NONE;
    for (var e : reservations.entrySet())
      if (!e.getKey().equals(except))
        sum =
            sum.plus(
                new Amount(
                    e.getValue().pending(usage, e.getKey()),
                    e.getValue().pendingVolumes(usage, e.getKey())));
    return sum;
  }

  /**
   * What the under cluster's claims hold against {@code resource}, counted from the claims: their
   * bytes, or ({@code count}) how many there are.
   */
  private static long claimed(Policy policy, Usage usage, String resource, boolean count) {
    boolean allClasses = resource.equals(ALL_CLASSES) || resource.equals(ALL_CLAIMS);
    long sum = 0;
    for (Usage.UnderClaim c : usage.claims().values())
      if (allClasses || c.storageClass().equals(policy.infraStorageClass()))
        sum += count ? 1 : c.bytes();
    return sum;
  }

  /**
   * A snapshot the driver will take counts one against {@code count/volumesnapshots} until its
   * under snapshot exists; its DELETE releases it.
   */
  private static Decision snapshot(
      Policy policy,
      Usage usage,
      Map<String, Reservation> reservations,
      Review review,
      Instant now) {
    TenantSnapshot snapshot = review.snapshot();
    if (!policy.governs(snapshot)) return Decision.allow();
    String key = snapshot.key(review.cluster());
    if ("DELETE".equals(review.operation())) {
      if (!review.dryRun()) reservations.remove(key);
      return Decision.allow();
    }
    long pending = 0;
    for (var e : reservations.entrySet())
      if (!e.getKey().equals(key)) pending += e.getValue().pendingSnapshots(usage, e.getKey());
    Optional<String> exhausted =
        check(usage, Policy.SNAPSHOT_COUNT_KEY, usage.snapshots().size(), pending, 1, false);
    if (exhausted.isPresent())
      return Decision.forbidden(
          "insufficient storage quota: ResourceQuota "
              + policy.quotaRef()
              + " exhausted: snapshot "
              + snapshot.ref()
              + " in tenant cluster "
              + review.cluster()
              + " needs 1 snapshot, but "
              + exhausted.get(),
          List.of(Decision.Refusal.SNAPSHOTS));
    if (!review.dryRun())
      reservations.put(
          key,
          new Reservation(review.cluster(), snapshot.ref(), 0, now.plus(policy.reservationTtl())));
    return Decision.allow();
  }

  private static Decision release(Map<String, Reservation> reservations, Review review) {
    if (!review.dryRun()) reservations.remove(review.oldObject().key(review.cluster()));
    return Decision.allow();
  }
}

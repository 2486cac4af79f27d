package io.kmetal.csi.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the tenant's reviews one at a time on one thread, so no burst slips through: each
 * decision sees the reservations of those before it, and the ledger those of the other replicas.
 *
 * <p>Writes: far from the limit this replica holds a {@link Grant} in the ledger, a quarter of the
 * room left, and admits claims from it at once; what it admitted is written at least every {@link
 * #FLUSH_AFTER}, and the grant renewed while admissions come or returned when they stop. An
 * admission the grant cannot cover is answered only once the ledger holds it: reviews waiting
 * together are decided as one batch and stored with one write (group commit), and a write that lost
 * to another replica makes the batch be decided again on the fresh ledger. Near the limit (of bytes
 * or of volumes) the grant shrinks to nothing, so there every admission is stored before it is
 * answered. Refusals and releases are answered at once (a release is stored with the next write:
 * until then decisions are only stricter).
 */
final class Decider implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Decider.class);
  private static final int MAX_BATCH = 256;
  private static final int ATTEMPTS = 8;
  static final Duration FLUSH_AFTER = Duration.ofSeconds(1);

  /** How long other replicas count a grant; renewed with every write of its holder. */
  static final Duration GRANT_TTL = Duration.ofSeconds(30);

  /** A grant is not used this close to its expiry (clocks of replicas differ). */
  static final Duration GRANT_MARGIN = Duration.ofSeconds(10);

  private final Policy policy;
  private final UnderCluster under;
  private final Clock clock;
  private final String replica;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicBoolean tidyQueued = new AtomicBoolean();
  private final Thread thread;

  // the decider thread's own state
  /** Admitted from the grant, not yet written. */
  private final Map<String, Reservation> unwritten = new HashMap<>();

  /** Released (DELETE answered), not yet written. */
  private final Set<String> released = new HashSet<>();

  /** What was handed out from the grant since it was written. */
  private Amount grantUsed = Amount.NONE;

  private boolean admittedSinceWrite;

  /** Since when something here waits to be written; null when the ledger holds it all. */
  private Instant dirtySince;

  /** A review to decide, or (review null) a request to store what the under cluster completed. */
  private record Pending(Review review, CompletableFuture<Decision> answer) {}

  Decider(Policy policy, UnderCluster under, Clock clock, String replica) {
    this.policy = policy;
    this.under = under;
    this.clock = clock;
    this.replica = replica;
    this.thread = new Thread(this::run, "quota-decider");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The decision for {@code review}, completed exceptionally with {@link Unavailable} when the
   * ledger cannot be stored.
   */
  CompletableFuture<Decision> submit(Review review) {
    var answer = new CompletableFuture<Decision>();
    queue.add(new Pending(review, answer));
    return answer;
  }

  /**
   * Drops the reservations the under cluster now holds from the ledger, soon: called when its
   * claims change, so a claim provisioned and then deleted is never counted again.
   */
  void tidy() {
    if (tidyQueued.compareAndSet(false, true))
      queue.add(new Pending(null, new CompletableFuture<>()));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    try {
      while (true) {
        Pending first = queue.poll(FLUSH_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
          if (dirtySince != null) decide(batch); // nothing came: write what waits
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        decide(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      batch.addAll(queue);
      batch.forEach(
          p -> {
            if (p.review() != null)
              p.answer().completeExceptionally(new Unavailable("the webhook is stopping"));
          });
      handBack(); // with the interrupt cleared: the HTTP client would refuse to write
      Thread.currentThread().interrupt();
    }
  }

  /** The tenant class's quota now: the watch-fed caches and the ledger as last read. */
  /** The tenant's under-cluster namespace. */
  String namespace() {
    return policy.namespace();
  }

  Admission.Standing standing() {
    return Admission.standing(policy, under.usage(), under.ledger().reservations());
  }

  /**
   * On the way out: stores what was admitted from the grant and returns the grant, so the other
   * replicas need not wait for it to expire (a rolling update would otherwise hold that room for
   * {@link #GRANT_TTL}). Best effort: a replica that dies holds it until then.
   */
  private void handBack() {
    Ledger ledger = under.ledger();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (!ledger.grants().containsKey(replica) && unwritten.isEmpty() && released.isEmpty())
        return;
      Map<String, Reservation> working = new TreeMap<>(ledger.reservations());
      working.putAll(unwritten);
      working.keySet().removeAll(released);
      Map<String, Grant> grants = new TreeMap<>(ledger.grants());
      grants.remove(replica);
      try {
        under.write(ledger, working, grants);
        log.info("returned this replica's quota grant");
        return;
      } catch (UnderCluster.Conflict e) {
        ledger = under.reload();
      } catch (RuntimeException e) {
        log.warn(
            "cannot return this replica's quota grant (it expires by itself): {}", e.getMessage());
        return;
      }
    }
  }

  private void decide(List<Pending> batch) {
    Ledger ledger = under.ledger();
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        decide(batch, ledger);
        return;
      } catch (UnderCluster.Conflict e) {
        ledger = under.reload();
      } catch (RuntimeException e) {
        failure = e;
        break;
      }
    }
    String reason =
        failure == null
            ? "the ledger kept changing under " + ATTEMPTS + " attempts"
            : "cannot store the quota ledger: " + failure.getMessage();
    log.warn("{} review(s) undecided: {}", batch.size(), reason);
    for (Pending p : batch)
      if (p.review() != null) p.answer().completeExceptionally(new Unavailable(reason));
  }

  private void decide(List<Pending> batch, Ledger ledger) throws UnderCluster.Conflict {
    Instant now = clock.instant();
    Usage usage = under.usage();
    Amount others = ledger.grantedToOthers(replica, now);
    Grant grant = ledger.grants().getOrDefault(replica, Grant.NONE);
    boolean grantUsable = grant.live(now.plus(GRANT_MARGIN));
    Map<String, Reservation> working = new TreeMap<>(ledger.reservations());
    working.putAll(unwritten);
    working.keySet().removeAll(released);
    Admission.prune(usage, working, now);
    boolean flush = dirtySince != null && !now.isBefore(dirtySince.plus(FLUSH_AFTER));
    List<Pending> waiting = new ArrayList<>();
    List<Decision> waitingDecisions = new ArrayList<>();
    for (Pending p : batch) {
      if (p.review() == null) {
        tidyQueued.set(false);
        flush = true;
        continue;
      }
      if (p.answer().isDone()) continue; // answered in an attempt that lost the ledger
      Review review = p.review();
      String key = review.admittedKey();
      Reservation before = key == null ? null : working.get(key);
      Decision d = Admission.decide(policy, usage, working, review, now, others);
      Reservation after = key == null ? null : working.get(key);
      boolean added = before == null && after != null;
      long grow = after == null ? 0 : after.bytes() - (before == null ? 0 : before.bytes());
      if (grow > 0 || added) {
        released.remove(key);
        Amount taken = new Amount(grow, added ? 1 : 0);
        // grants hold bytes and volumes, not snapshots: a snapshot is always stored first
        if (!review.isSnapshot() && grantUsable && grant.room().covers(grantUsed.plus(taken))) {
          grantUsed = grantUsed.plus(taken); // the grant already counts for every other replica
          unwritten.put(key, after);
          admittedSinceWrite = true;
          if (dirtySince == null) dirtySince = now;
          p.answer().complete(d);
        } else {
          waiting.add(p);
          waitingDecisions.add(d);
        }
        continue;
      }
      String gone = review.dryRun() ? null : review.releasedKey();
      if (gone != null) {
        released.add(gone);
        unwritten.remove(gone);
        if (dirtySince == null) dirtySince = now;
      }
      p.answer().complete(d); // a refusal or a release: at worst stricter until written
    }
    boolean changed = !working.equals(ledger.reservations());
    if (!waiting.isEmpty() || (flush && (changed || !grant.room().isNone()))) {
      write(ledger, usage, working, others, now, !waiting.isEmpty() || admittedSinceWrite);
    } else if (changed && dirtySince == null) {
      dirtySince = now;
    }
    for (int i = 0; i < waiting.size(); i++)
      waiting.get(i).answer().complete(waitingDecisions.get(i));
  }

  /**
   * Writes the reservations and this replica's grant: a quarter of the room left while admissions
   * come, none when they stopped. Expired grants of other replicas are dropped.
   */
  private void write(
      Ledger ledger,
      Usage usage,
      Map<String, Reservation> working,
      Amount others,
      Instant now,
      boolean busy)
      throws UnderCluster.Conflict {
    Map<String, Grant> grants = new TreeMap<>();
    ledger
        .grants()
        .forEach(
            (who, g) -> {
              if (!who.equals(replica) && g.live(now)) grants.put(who, g);
            });
    Amount room = Admission.room(policy, usage, working, others);
    Amount quarter = new Amount(quarter(room.bytes()), quarter(room.volumes()));
    if (busy && quarter.bytes() > 0 && quarter.volumes() > 0)
      grants.put(replica, new Grant(quarter, now.plus(GRANT_TTL)));
    under.write(ledger, working, grants);
    unwritten.clear();
    released.clear();
    grantUsed = Amount.NONE;
    admittedSinceWrite = false;
    // a grant held is returned or renewed a second later
    dirtySince = grants.containsKey(replica) ? now : null;
  }

  /** A quarter of {@code room}, kept well below overflow where the quota sets no limit. */
  private static long quarter(long room) {
    return Math.min(room / 4, Long.MAX_VALUE / 8);
  }

  /** Stops deciding and hands the grant back (waits up to 5 s for that write). */
  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** No decision could be made now; the API server applies the webhook's failurePolicy. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}

package io.kmetal.csi.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * decision sees the reservations of those before it. Reviews waiting together are decided as one
 * batch and their reservations stored with one ledger write (group commit); when another replica
 * wrote the ledger meanwhile, the batch is decided again on the fresh ledger. An admission is
 * answered once the ledger holds it; refusals and releases at once (a release is stored with the
 * next write, at most {@link #FLUSH_AFTER} later: until then decisions are only stricter).
 */
final class Decider implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Decider.class);
  private static final int MAX_BATCH = 256;
  private static final int ATTEMPTS = 8;
  static final Duration FLUSH_AFTER = Duration.ofSeconds(1);

  private final Policy policy;
  private final UnderCluster under;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /** A review to decide, or (review null) a request to store what the under cluster completed. */
  private record Pending(Review review, CompletableFuture<Decision> answer) {}

  private final AtomicBoolean tidyQueued = new AtomicBoolean();

  /** Reservations released (DELETE answered) but not yet stored; the decider thread's only. */
  private final Set<String> released = new HashSet<>();

  /** Since when the ledger here differs from the stored one without needing a write. */
  private Instant dirtySince;

  Decider(Policy policy, UnderCluster under, Clock clock) {
    this.policy = policy;
    this.under = under;
    this.clock = clock;
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
          if (dirtySince != null) decide(batch); // nothing came: store the releases
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        decide(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batch.addAll(queue);
      batch.forEach(
          p -> p.answer().completeExceptionally(new Unavailable("the webhook is stopping")));
    }
  }

  /**
   * Decides {@code batch} on the ledger and stores it: at once when a review reserved more (its
   * answer waits for that), otherwise (releases, completed claims) with the next write, at the
   * latest {@link #FLUSH_AFTER} later or when the claims changed.
   */
  private void decide(List<Pending> batch) {
    Ledger ledger = under.ledger();
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        var now = clock.instant();
        Usage usage = under.usage();
        Map<String, Reservation> reservations = new TreeMap<>(ledger.reservations());
        reservations.keySet().removeAll(released);
        Admission.prune(usage, reservations, now);
        boolean flush = dirtySince != null && !now.isBefore(dirtySince.plus(FLUSH_AFTER));
        List<Pending> reserving = new ArrayList<>();
        List<Decision> reserved = new ArrayList<>();
        for (Pending p : batch) {
          if (p.review() == null) {
            tidyQueued.set(false);
            flush = true;
            continue;
          }
          if (p.answer().isDone()) continue; // a refusal or release from a lost attempt
          Map<String, Reservation> before = Map.copyOf(reservations);
          Decision d = Admission.decide(policy, usage, reservations, p.review(), now);
          if (reservesMore(before, reservations)) {
            released.remove(p.review().object().key(p.review().cluster()));
            reserving.add(p);
            reserved.add(d);
          } else {
            // a refusal or a release is safe to answer before the ledger holds it: until it is
            // stored, decisions are stricter, never looser
            if ("DELETE".equals(p.review().operation()) && p.review().oldObject() != null)
              released.add(p.review().oldObject().key(p.review().cluster()));
            p.answer().complete(d);
          }
        }
        boolean differs = !reservations.equals(ledger.reservations());
        if (differs && (flush || !reserving.isEmpty())) {
          under.write(ledger, reservations);
          released.clear();
          dirtySince = null;
        } else if (differs && dirtySince == null) {
          dirtySince = now;
        } else if (!differs) {
          dirtySince = null;
        }
        for (int i = 0; i < reserving.size(); i++)
          reserving.get(i).answer().complete(reserved.get(i));
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

  /** Whether {@code after} counts more for some claim than {@code before}. */
  private static boolean reservesMore(
      Map<String, Reservation> before, Map<String, Reservation> after) {
    if (after.size() > before.size()) return true;
    for (var e : after.entrySet()) {
      Reservation was = before.get(e.getKey());
      if (was == null || was.bytes() < e.getValue().bytes()) return true;
    }
    return false;
  }

  @Override
  public void close() {
    thread.interrupt();
  }

  /** No decision could be made now; the API server applies the webhook's failurePolicy. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }
}

package io.kmetal.csi.webhook;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the tenant's reviews one at a time on one thread, so no burst slips through: each
 * decision sees the reservations of those before it. Reviews waiting together are decided as one
 * batch and their reservations stored with one ledger write (group commit); when another replica
 * wrote the ledger meanwhile, the batch is decided again on the fresh ledger. Nobody is answered
 * before the ledger holds what their answer relied on.
 */
final class Decider implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Decider.class);
  private static final int MAX_BATCH = 256;
  private static final int ATTEMPTS = 8;

  private final Policy policy;
  private final UnderCluster under;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  /** A review to decide, or (review null) a request to store what the under cluster completed. */
  private record Pending(Review review, CompletableFuture<Decision> answer) {}

  private final AtomicBoolean tidyQueued = new AtomicBoolean();

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
        batch.add(queue.take());
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

  private void decide(List<Pending> batch) {
    Ledger ledger = under.ledger();
    RuntimeException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        var now = clock.instant();
        Usage usage = under.usage();
        Map<String, Reservation> reservations = new TreeMap<>(ledger.reservations());
        Admission.prune(usage, reservations, now);
        List<Pending> reserving = new ArrayList<>();
        List<Decision> reserved = new ArrayList<>();
        for (Pending p : batch) {
          if (p.review() == null) {
            tidyQueued.set(false);
            continue;
          }
          if (p.answer().isDone()) {
            // answered in an attempt that lost the ledger to another replica: a release is
            // applied again to the fresh ledger, a refusal stays a refusal
            if ("DELETE".equals(p.review().operation()))
              Admission.decide(policy, usage, reservations, p.review(), now);
            continue;
          }
          Map<String, Reservation> before = Map.copyOf(reservations);
          Decision d = Admission.decide(policy, usage, reservations, p.review(), now);
          if (reservesMore(before, reservations)) {
            reserving.add(p);
            reserved.add(d);
          } else {
            // a refusal or a release is safe to answer before the ledger holds it: at worst a
            // lost write makes later decisions stricter, never looser
            p.answer().complete(d);
          }
        }
        if (!reservations.equals(ledger.reservations())) under.write(ledger, reservations);
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

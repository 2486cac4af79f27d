package io.kmetal.csi.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decider's serialization and storage rules, against an in-memory stand-in for the under
 * cluster's ledger ConfigMap (compare-and-swap on a version, as the API server does with
 * resourceVersion); the real ConfigMap is exercised by QuotaWebhookIT.
 */
class DeciderTest {
  static final long GI = 1L << 30;

  /** The ledger as the API server would keep it, plus a hook to play another replica. */
  static final class Ledgers implements UnderCluster {
    volatile Ledger stored = Ledger.EMPTY;
    volatile Ledger seen = Ledger.EMPTY;
    int version;
    int writes;
    Runnable beforeWrite = () -> {};
    RuntimeException failure;
    long hard = 10 * GI;
    Long maxVolumes;

    @Override
    public Usage usage() {
      Usage usage = AdmissionTest.quota(hard, 0, Map.of());
      return maxVolumes == null ? usage : AdmissionTest.withMaxVolumes(usage, maxVolumes);
    }

    @Override
    public Ledger ledger() {
      return seen;
    }

    @Override
    public synchronized Ledger reload() {
      seen = stored;
      return seen;
    }

    @Override
    public synchronized Ledger write(
        Ledger current, Map<String, Reservation> next, Map<String, Grant> grants) throws Conflict {
      beforeWrite.run();
      beforeWrite = () -> {};
      if (failure != null) throw failure;
      if (!String.valueOf(current.resourceVersion())
          .equals(String.valueOf(stored.resourceVersion()))) throw new Conflict("changed");
      writes++;
      stored = new Ledger(Integer.toString(++version), next, grants);
      seen = stored;
      return stored;
    }

    /** Another replica stores a reservation. */
    synchronized void otherReplicaReserves(String key, long bytes) {
      var next = new java.util.TreeMap<>(stored.reservations());
      next.put(key, new Reservation("other", "app/other", bytes, Instant.now().plusSeconds(3600)));
      stored = new Ledger(Integer.toString(++version), next, stored.grants());
    }

    @Override
    public void onClaimsChanged(Runnable listener) {}

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public void close() {}
  }

  final Ledgers under = new Ledgers();
  final Decider decider = new Decider(AdmissionTest.POLICY, under, Clock.systemUTC(), "a");

  @AfterEach
  void stop() {
    decider.close();
  }

  static Review create(String uid) {
    return AdmissionTest.create(AdmissionTest.claim(uid, "kubevirt", false, GI));
  }

  @Test
  void aConcurrentBurstAdmitsOnlyWhatFitsAndStoresEachAdmissionBeforeAnsweringIt()
      throws Exception {
    List<CompletableFuture<Decision>> answers = new ArrayList<>();
    for (int i = 0; i < 16; i++) answers.add(decider.submit(create("u" + i)));
    long admitted = 0;
    for (var a : answers) if (a.get(5, TimeUnit.SECONDS).allowed()) admitted++;
    assertEquals(9, admitted);
    assertEquals(9, under.stored.reservations().size());
    assertTrue(under.writes <= 9, "batched: " + under.writes + " writes");
  }

  @Test
  void whenAnotherReplicaWroteMeanwhileTheBatchIsDecidedAgainOnItsLedger() throws Exception {
    under.beforeWrite = () -> under.otherReplicaReserves("other-uid", 9 * GI);
    Decision d = decider.submit(create("u1")).get(5, TimeUnit.SECONDS);
    assertFalse(d.allowed(), "the other replica's 9Gi leave no room for 1.06Gi");
    assertTrue(d.message().contains("admitted but not yet provisioned"), d.message());
  }

  @Test
  void aReleaseIsAnsweredAtOnceAndStoredWithinAboutASecond() throws Exception {
    assertTrue(decider.submit(create("u1")).get(5, TimeUnit.SECONDS).allowed());
    int writes = under.writes;
    Claim claim = AdmissionTest.claim("u1", "kubevirt", false, GI);
    var release = new Review("d", "alpha-prod", "DELETE", Review.CLAIMS, null, claim);
    assertTrue(decider.submit(release).get(5, TimeUnit.SECONDS).allowed());
    assertEquals(writes, under.writes, "not written yet");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!under.stored.reservations().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(Map.of(), under.stored.reservations());
  }

  @Test
  void aServerSideDryRunOfADeleteReleasesNothing() throws Exception {
    assertTrue(decider.submit(create("u1")).get(5, TimeUnit.SECONDS).allowed());
    Claim claim = AdmissionTest.claim("u1", "kubevirt", false, GI);
    var dryRun = new Review("d", "alpha-prod", "DELETE", Review.CLAIMS, null, claim, true);
    assertTrue(decider.submit(dryRun).get(5, TimeUnit.SECONDS).allowed());
    Thread.sleep(2 * Decider.FLUSH_AFTER.toMillis() + 200); // past the next flush
    assertTrue(decider.submit(create("u2")).get(5, TimeUnit.SECONDS).allowed());
    assertTrue(
        under.stored.reservations().containsKey("u1"), under.stored.reservations().toString());
  }

  @Test
  void farFromTheLimitAdmissionsComeFromTheGrantWithoutAWriteEach() throws Exception {
    Ledgers roomy = new Ledgers();
    roomy.hard = 1000 * GI;
    try (var replica = new Decider(AdmissionTest.POLICY, roomy, Clock.systemUTC(), "a")) {
      for (int i = 0; i < 50; i++)
        assertTrue(replica.submit(create("u" + i)).get(5, TimeUnit.SECONDS).allowed());
      assertTrue(roomy.writes <= 3, roomy.writes + " writes for 50 admissions");
      // written within about a second, and the grant returned a second later
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while ((roomy.stored.reservations().size() < 50 || !roomy.stored.grants().isEmpty())
          && System.nanoTime() < deadline) Thread.sleep(50);
      assertEquals(50, roomy.stored.reservations().size());
      assertEquals(Map.of(), roomy.stored.grants());
    }
  }

  @Test
  void aStoppingReplicaStoresWhatItAdmittedAndReturnsItsGrant() throws Exception {
    Ledgers roomy = new Ledgers();
    roomy.hard = 1000 * GI;
    var replica = new Decider(AdmissionTest.POLICY, roomy, Clock.systemUTC(), "a");
    for (int i = 0; i < 5; i++)
      assertTrue(replica.submit(create("u" + i)).get(5, TimeUnit.SECONDS).allowed());
    assertFalse(roomy.stored.grants().isEmpty(), "admitting from a grant");
    replica.close();
    assertEquals(Map.of(), roomy.stored.grants(), "the other replicas need not wait 30 s for it");
    assertEquals(5, roomy.stored.reservations().size());
  }

  @Test
  void twoReplicasSharingTheLedgerNeverAdmitMoreThanFits() throws Exception {
    try (var other = new Decider(AdmissionTest.POLICY, under, Clock.systemUTC(), "b")) {
      List<CompletableFuture<Decision>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add((i % 2 == 0 ? decider : other).submit(create("u" + i)));
        if (i % 5 == 0) Thread.sleep(2);
      }
      long admitted = 0;
      for (var a : answers) if (a.get(5, TimeUnit.SECONDS).allowed()) admitted++;
      assertTrue(admitted <= 9, admitted + " admitted; 9 fit");
      assertTrue(admitted >= 7, admitted + " admitted; room held in grants is returned slowly");
    }
  }

  static Review createSmall(String uid) {
    return AdmissionTest.create(AdmissionTest.claim(uid, "kubevirt", true, 1L << 20));
  }

  @Test
  void aBurstOf200SmallClaimsAdmitsExactlyMaxVolumes() throws Exception {
    Ledgers capped = new Ledgers();
    capped.hard = 1000 * GI;
    capped.maxVolumes = 50L;
    try (var replica = new Decider(AdmissionTest.POLICY, capped, Clock.systemUTC(), "a")) {
      List<CompletableFuture<Decision>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) answers.add(replica.submit(createSmall("u" + i)));
      List<String> refusals = new ArrayList<>();
      for (var a : answers) {
        Decision d = a.get(5, TimeUnit.SECONDS);
        if (!d.allowed()) refusals.add(d.message());
      }
      assertEquals(150, refusals.size());
      assertTrue(refusals.get(0).contains(AdmissionTest.COUNT_KEY), refusals.get(0));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (capped.stored.reservations().size() < 50 && System.nanoTime() < deadline)
        Thread.sleep(50);
      assertEquals(50, capped.stored.reservations().size());
    }
  }

  @Test
  void twoReplicasSharingTheLedgerNeverAdmitMoreVolumesThanTheCap() throws Exception {
    under.hard = 1000 * GI;
    under.maxVolumes = 50L;
    try (var other = new Decider(AdmissionTest.POLICY, under, Clock.systemUTC(), "b")) {
      List<CompletableFuture<Decision>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add((i % 2 == 0 ? decider : other).submit(createSmall("u" + i)));
        if (i % 10 == 0) Thread.sleep(2);
      }
      long admitted = 0;
      for (var a : answers) if (a.get(5, TimeUnit.SECONDS).allowed()) admitted++;
      assertTrue(admitted <= 50, admitted + " admitted; the cap is 50");
      assertTrue(admitted >= 44, admitted + " admitted; volumes held in grants go unused");
    }
  }

  @Test
  void aSnapshotIsStoredBeforeItIsAnsweredEvenWhileAGrantIsHeld() throws Exception {
    Ledgers roomy = new Ledgers();
    roomy.hard = 1000 * GI;
    try (var replica = new Decider(AdmissionTest.SNAPSHOTTING, roomy, Clock.systemUTC(), "a")) {
      for (int i = 0; i < 3; i++)
        assertTrue(replica.submit(create("u" + i)).get(5, TimeUnit.SECONDS).allowed());
      int writes = roomy.writes;
      Review snapshot = AdmissionTest.snapshot("CREATE", "s1", "kubevirt-snapshot", true);
      assertTrue(replica.submit(snapshot).get(5, TimeUnit.SECONDS).allowed());
      assertEquals(writes + 1, roomy.writes, "the snapshot was written, not granted");
      assertTrue(roomy.stored.reservations().containsKey("snapshot-s1"));
    }
  }

  @Test
  void aLedgerThatCannotBeStoredLeavesTheAdmissionUndecided() {
    under.failure = new IllegalStateException("connection refused");
    var answer = decider.submit(create("u1"));
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> answer.get(5, TimeUnit.SECONDS));
    assertInstanceOf(Decider.Unavailable.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("connection refused"));
  }
}

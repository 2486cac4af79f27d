package io.kmetal.csi.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  static final long GI = 1L << 30;
  static final Policy POLICY =
      new Policy(
          "alpha",
          "alpha-storage",
          "tenant-storage-class",
          Set.of("kubevirt"),
          0.055,
          Duration.ofHours(1));
  static final String CLASS_KEY =
      "tenant-storage-class.storageclass.storage.k8s.io/requests.storage";
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  final Map<String, Reservation> reservations = new TreeMap<>();

  /**
   * A quota of {@code hard} with the claims, and one more claim of the class holding {@code used}.
   */
  static Usage quota(long hard, long used, Map<String, Usage.UnderClaim> claims) {
    Map<String, Usage.UnderClaim> all = new HashMap<>(claims);
    if (used > 0) all.put("existing", new Usage.UnderClaim("tenant-storage-class", used));
    return new Usage(true, Map.of(CLASS_KEY, hard), all);
  }

  static final String COUNT_KEY =
      "tenant-storage-class.storageclass.storage.k8s.io/persistentvolumeclaims";

  /** {@code usage} with the quota also capping the class's claims at {@code maxVolumes}. */
  static Usage withMaxVolumes(Usage usage, long maxVolumes) {
    Map<String, Long> hard = new HashMap<>(usage.hard());
    hard.put(COUNT_KEY, maxVolumes);
    return new Usage(true, hard, usage.claims());
  }

  /** {@code n} provisioned under claims of the tenant's class, 1Gi each. */
  static Map<String, Usage.UnderClaim> provisioned(int n) {
    Map<String, Usage.UnderClaim> claims = new HashMap<>();
    for (int i = 0; i < n; i++)
      claims.put("pvc-p" + i, new Usage.UnderClaim("tenant-storage-class", GI));
    return claims;
  }

  static Claim claim(String uid, String cls, boolean block, long bytes) {
    return new Claim(uid, "app", "data-" + uid, cls, block, bytes);
  }

  static Review create(Claim c) {
    return new Review("r-" + c.uid(), "alpha-prod", "CREATE", Review.CLAIMS, c, null);
  }

  Decision decide(Usage usage, Review review) {
    return Admission.decide(POLICY, usage, reservations, review, NOW);
  }

  @Test
  void aServerSideDryRunIsDecidedButReservesNothing() {
    Claim c = claim("u1", "kubevirt", false, GI);
    Review dryRun = new Review("r-u1", "alpha-prod", "CREATE", Review.CLAIMS, c, null, true);
    assertTrue(decide(quota(10 * GI, 0, Map.of()), dryRun).allowed());
    assertTrue(reservations.isEmpty(), "a dry run has no side effects: " + reservations);
    assertFalse(decide(quota(GI / 2, 0, Map.of()), dryRun).allowed(), "and is still refused");
  }

  @Test
  void admitsAClaimThatFitsAndReservesItsCdiSize() {
    Decision d = decide(quota(10 * GI, 0, Map.of()), create(claim("u1", "kubevirt", false, GI)));
    assertTrue(d.allowed());
    // CDI: aligned to 1 MiB, divided by (1 - 0.055)
    assertEquals((long) Math.ceil(GI / 0.945), reservations.get("u1").bytes());
    assertEquals(NOW.plus(Duration.ofHours(1)), reservations.get("u1").expires());
  }

  @Test
  void refusesPvcThatWouldExceedTenantQuotaNamingQuotaRequestUsedAndLeft() {
    Decision d =
        decide(
            quota(10 * GI, 9 * GI + GI / 2, Map.of()), create(claim("u1", "kubevirt", false, GI)));
    assertFalse(d.allowed());
    assertEquals(403, d.code());
    assertEquals(
        "insufficient storage quota: ResourceQuota alpha/alpha-storage exhausted: claim app/data-u1 in tenant cluster"
            + " alpha-prod needs 1.06Gi (1Gi requested, 1.06Gi as a CDI volume), but "
            + CLASS_KEY
            + " has 9.5Gi used of hard 10Gi, 512Mi left",
        d.message());
    assertEquals(List.of(Decision.Refusal.STORAGE), d.refusedFor());
    assertTrue(reservations.isEmpty());
  }

  @Test
  void aBurstAdmitsOnlyWhatFitsCountingEarlierAdmissions() {
    int admitted = 0;
    for (int i = 0; i < 16; i++) {
      Decision d =
          decide(quota(10 * GI, 0, Map.of()), create(claim("u" + i, "kubevirt", false, GI)));
      if (d.allowed()) admitted++;
      else assertTrue(d.message().contains("admitted but not yet provisioned"), d.message());
    }
    assertEquals(9, admitted); // 9 × 1.06Gi = 9.52Gi; a 10th would need 10.58Gi
  }

  @Test
  void blockVolumesCarryNoFilesystemOverhead() {
    int admitted = 0;
    for (int i = 0; i < 12; i++)
      if (decide(quota(10 * GI, 0, Map.of()), create(claim("b" + i, "kubevirt", true, GI)))
          .allowed()) admitted++;
    assertEquals(10, admitted);
  }

  @Test
  void claimsOfOtherClassesAndOtherResourcesPass() {
    Usage full = quota(GI, GI, Map.of());
    assertTrue(decide(full, create(claim("u1", "local-path", false, 100 * GI))).allowed());
    assertTrue(decide(full, create(claim("u2", "", false, 100 * GI))).allowed());
    Decision other =
        decide(full, new Review("r", "alpha-prod", "CREATE", "/v1/configmaps", null, null));
    assertTrue(other.allowed());
    assertEquals(1, other.warnings().size());
    assertTrue(reservations.isEmpty());
  }

  @Test
  void deletingAnUnprovisionedClaimReleasesItsReservation() {
    Usage usage = quota(2 * GI + GI / 2, 0, Map.of());
    assertTrue(decide(usage, create(claim("u1", "kubevirt", false, GI))).allowed());
    assertTrue(decide(usage, create(claim("u2", "kubevirt", false, GI))).allowed());
    assertFalse(decide(usage, create(claim("u3", "kubevirt", false, GI))).allowed());
    Claim first = claim("u1", "kubevirt", false, GI);
    assertTrue(
        decide(usage, new Review("d", "alpha-prod", "DELETE", Review.CLAIMS, null, first))
            .allowed());
    assertTrue(decide(usage, create(claim("u3", "kubevirt", false, GI))).allowed());
  }

  @Test
  void expansionCountsOnlyTheGrowthOverWhatIsProvisioned() {
    long provisioned = POLICY.underBytes(claim("u1", "kubevirt", false, GI));
    Usage usage =
        quota(
            3 * GI, 0, Map.of("pvc-u1", new Usage.UnderClaim("tenant-storage-class", provisioned)));
    Claim old = claim("u1", "kubevirt", false, GI);
    Review grow2 =
        new Review(
            "g",
            "alpha-prod",
            "UPDATE",
            Review.CLAIMS,
            claim("u1", "kubevirt", false, 2 * GI),
            old);
    assertTrue(decide(usage, grow2).allowed());
    assertEquals(
        POLICY.underBytes(claim("u1", "kubevirt", false, 2 * GI)), reservations.get("u1").bytes());
    Review grow4 =
        new Review(
            "g",
            "alpha-prod",
            "UPDATE",
            Review.CLAIMS,
            claim("u1", "kubevirt", false, 4 * GI),
            old);
    Decision d = decide(usage, grow4);
    assertFalse(d.allowed());
    assertTrue(d.message().contains("grows by 2.12Gi"), d.message());
  }

  @Test
  void updatesThatDoNotGrowTheClaimPassWithoutReserving() {
    Claim c = claim("u1", "kubevirt", false, GI);
    Usage full = quota(GI, GI, Map.of());
    assertTrue(
        decide(full, new Review("u", "alpha-prod", "UPDATE", Review.CLAIMS, c, c)).allowed());
    assertTrue(reservations.isEmpty());
  }

  @Test
  void aReservationEndsWhenTheUnderClaimHoldsItOrItExpires() {
    Usage empty = quota(10 * GI, 0, Map.of());
    decide(empty, create(claim("u1", "kubevirt", false, GI)));
    decide(empty, create(claim("u2", "kubevirt", false, GI)));
    long size = reservations.get("u1").bytes();
    Usage provisioned =
        quota(10 * GI, 0, Map.of("pvc-u1", new Usage.UnderClaim("tenant-storage-class", size)));
    assertEquals(1, Admission.prune(provisioned, reservations, NOW));
    assertEquals(Set.of("u2"), reservations.keySet());
    assertEquals(1, Admission.prune(provisioned, reservations, NOW.plus(Duration.ofHours(2))));
    assertTrue(reservations.isEmpty());
  }

  @Test
  void countsTheUnderClaimsOfTheClassAgainstTheClassLimit() {
    Map<String, Usage.UnderClaim> claims = new HashMap<>();
    for (int i = 0; i < 9; i++)
      claims.put("pvc-x" + i, new Usage.UnderClaim("tenant-storage-class", GI));
    claims.put("other", new Usage.UnderClaim("local-path", 50 * GI)); // another class
    assertFalse(
        decide(quota(10 * GI, 0, claims), create(claim("u1", "kubevirt", false, GI))).allowed());
  }

  @Test
  void aQuotaOnAllClassesCountsEveryUnderClaim() {
    Usage usage =
        new Usage(
            true,
            Map.of(Admission.ALL_CLASSES, 10 * GI),
            Map.of("other", new Usage.UnderClaim("local-path", 9 * GI)));
    Decision d = decide(usage, create(claim("u1", "kubevirt", false, GI)));
    assertFalse(d.allowed());
    assertTrue(d.message().contains("requests.storage has 9Gi used"), d.message());
  }

  @Test
  void withoutAQuotaEverythingPassesWithAWarning() {
    Decision d =
        decide(
            new Usage(false, Map.of(), Map.of()),
            create(claim("u1", "kubevirt", false, 1000 * GI)));
    assertTrue(d.allowed());
    assertEquals(
        List.of("kmetal quota webhook: no ResourceQuota alpha/alpha-storage to check against"),
        d.warnings());
  }

  @Test
  void refusesANewClaimWhenTheTenantHoldsMaxVolumesNamingTheCount() {
    Usage usage = withMaxVolumes(quota(100 * GI, 0, provisioned(2)), 2);
    Decision d = decide(usage, create(claim("u1", "kubevirt", true, GI)));
    assertFalse(d.allowed());
    assertEquals(
        "insufficient storage quota: ResourceQuota alpha/alpha-storage exhausted: claim"
            + " app/data-u1 in tenant cluster alpha-prod needs 1Gi and 1 volume (1Gi requested),"
            + " but "
            + COUNT_KEY
            + " has 2 used of hard 2, 0 left",
        d.message());
    assertEquals(List.of(Decision.Refusal.VOLUMES), d.refusedFor());
    assertTrue(reservations.isEmpty());
  }

  @Test
  void claimsAdmittedButNotYetProvisionedCountAsVolumes() {
    Usage usage = withMaxVolumes(quota(100 * GI, 0, Map.of()), 2);
    assertTrue(decide(usage, create(claim("u1", "kubevirt", false, GI))).allowed());
    assertTrue(decide(usage, create(claim("u2", "kubevirt", false, GI))).allowed());
    Decision d = decide(usage, create(claim("u3", "kubevirt", false, GI)));
    assertFalse(d.allowed());
    assertTrue(
        d.message()
            .endsWith(" has 0 used and 2 admitted but not yet provisioned of hard 2, 0 left"),
        d.message());
  }

  @Test
  void aProvisionedClaimMovesFromItsReservationToTheQuotasOwnCount() {
    Usage before = withMaxVolumes(quota(100 * GI, 0, Map.of()), 1);
    assertTrue(decide(before, create(claim("u1", "kubevirt", true, GI))).allowed());
    Usage after =
        withMaxVolumes(
            quota(100 * GI, 0, Map.of("pvc-u1", new Usage.UnderClaim("tenant-storage-class", GI))),
            1);
    assertEquals(1, Admission.prune(after, reservations, NOW));
    Decision d = decide(after, create(claim("u2", "kubevirt", true, GI)));
    assertTrue(d.message().endsWith(" has 1 used of hard 1, 0 left"), d.message());
  }

  @Test
  void anEmptyClaimStillTakesAVolumeUntilItsUnderClaimExists() {
    Usage usage = withMaxVolumes(quota(100 * GI, 0, Map.of()), 1);
    assertTrue(decide(usage, create(claim("u1", "kubevirt", true, 0))).allowed());
    assertEquals(0, Admission.prune(usage, reservations, NOW));
    assertFalse(decide(usage, create(claim("u2", "kubevirt", true, 0))).allowed());
  }

  @Test
  void growingAClaimAtMaxVolumesTakesNoVolume() {
    Map<String, Usage.UnderClaim> claims =
        Map.of("pvc-u1", new Usage.UnderClaim("tenant-storage-class", GI));
    Usage usage = withMaxVolumes(quota(100 * GI, 0, claims), 1);
    Review grow =
        new Review(
            "r",
            "alpha-prod",
            "UPDATE",
            Review.CLAIMS,
            claim("u1", "kubevirt", true, 2 * GI),
            claim("u1", "kubevirt", true, GI));
    assertTrue(decide(usage, grow).allowed());
  }

  @Test
  void aCapOnAllClaimsCountsEveryUnderClaimAndOtherClassesPass() {
    Usage usage =
        new Usage(
            true,
            Map.of(Admission.ALL_CLAIMS, 1L),
            Map.of("other", new Usage.UnderClaim("local-path", GI)));
    Decision d = decide(usage, create(claim("u1", "kubevirt", true, GI)));
    assertTrue(d.message().contains("persistentvolumeclaims has 1 used of hard 1"), d.message());
    assertTrue(decide(usage, create(claim("u2", "local-path", true, GI))).allowed());
  }

  @Test
  void theRoomLeftCountsBytesAndVolumesApart() {
    Usage usage = withMaxVolumes(quota(10 * GI, 4 * GI, provisioned(3)), 5);
    assertEquals(
        new Amount(10 * GI - 4 * GI - 3 * GI - GI, 5 - 4 - 1 - 0),
        Admission.room(
            POLICY,
            usage,
            Map.of("u9", new Reservation("alpha-prod", "app/x", GI, NOW.plusSeconds(60))),
            new Amount(0, 0)));
  }

  static final Policy SNAPSHOTTING =
      new Policy(
          "alpha",
          "alpha-storage",
          "tenant-storage-class",
          Set.of("kubevirt"),
          0.055,
          Duration.ofHours(1),
          Set.of("kubevirt-snapshot"));

  /** A quota capping the namespace at {@code max} snapshots, holding {@code taken} of them. */
  static Usage snapshots(long max, Set<String> taken) {
    return new Usage(true, Map.of(Policy.SNAPSHOT_COUNT_KEY, max), Map.of(), taken);
  }

  static Review snapshot(String operation, String uid, String cls, boolean fromClaim) {
    var s = new TenantSnapshot(uid, "app", "snap-" + uid, cls, fromClaim);
    return new Review("r-" + uid, "alpha-prod", operation, Review.SNAPSHOTS, null, null, false, s);
  }

  Decision decideSnapshot(Usage usage, Review review) {
    return Admission.decide(SNAPSHOTTING, usage, reservations, review, NOW);
  }

  @Test
  void aSnapshotPastMaxSnapshotsIsRefusedNamingTheCount() {
    Decision d =
        decideSnapshot(
            snapshots(2, Set.of("snapshot-a", "snapshot-b")),
            snapshot("CREATE", "u1", "kubevirt-snapshot", true));
    assertFalse(d.allowed());
    assertEquals(
        "insufficient storage quota: ResourceQuota alpha/alpha-storage exhausted: snapshot"
            + " app/snap-u1 in tenant cluster alpha-prod needs 1 snapshot, but"
            + " count/volumesnapshots.snapshot.storage.k8s.io has 2 used of hard 2, 0 left",
        d.message());
    assertEquals(List.of(Decision.Refusal.SNAPSHOTS), d.refusedFor());
  }

  @Test
  void snapshotsAdmittedButNotYetTakenCountUntilTheirUnderSnapshotExists() {
    Usage before = snapshots(2, Set.of());
    assertTrue(decideSnapshot(before, snapshot("CREATE", "u1", "", true)).allowed());
    assertTrue(
        decideSnapshot(before, snapshot("CREATE", "u2", "kubevirt-snapshot", true)).allowed());
    Decision third = decideSnapshot(before, snapshot("CREATE", "u3", "kubevirt-snapshot", true));
    assertTrue(
        third
            .message()
            .endsWith("has 0 used and 2 admitted but not yet provisioned of hard 2, 0 left"),
        third.message());
    Usage taken = snapshots(2, Set.of("snapshot-u1"));
    assertEquals(1, Admission.prune(taken, reservations, NOW));
    assertEquals(Set.of("snapshot-u2"), reservations.keySet());
  }

  @Test
  void deletingASnapshotNotYetTakenReleasesIt() {
    Usage usage = snapshots(1, Set.of());
    assertTrue(decideSnapshot(usage, snapshot("CREATE", "u1", "", true)).allowed());
    assertFalse(decideSnapshot(usage, snapshot("CREATE", "u2", "", true)).allowed());
    assertTrue(decideSnapshot(usage, snapshot("DELETE", "u1", "", true)).allowed());
    assertTrue(decideSnapshot(usage, snapshot("CREATE", "u2", "", true)).allowed());
  }

  @Test
  void snapshotsTheDriverDoesNotTakePass() {
    Usage full = snapshots(0, Set.of());
    assertTrue(decideSnapshot(full, snapshot("CREATE", "u1", "other-driver", true)).allowed());
    assertTrue(
        decideSnapshot(full, snapshot("CREATE", "u2", "kubevirt-snapshot", false)).allowed(),
        "a snapshot of existing content takes nothing in the under cluster");
    assertTrue(
        Admission.decide(POLICY, full, reservations, snapshot("CREATE", "u3", "", true), NOW)
            .allowed(),
        "a tenant without snapshot classes has its snapshots unchecked");
    assertTrue(reservations.isEmpty());
  }

  @Test
  void aSnapshotReservationTakesNoVolumeAndNoBytes() {
    Usage usage = withMaxVolumes(snapshots(5, Set.of()), 1);
    assertTrue(decideSnapshot(usage, snapshot("CREATE", "u1", "", true)).allowed());
    assertEquals(
        new Amount(Long.MAX_VALUE, 1),
        Admission.room(SNAPSHOTTING, usage, reservations, Amount.NONE),
        "the one volume is still free, and no bytes are capped");
  }
}

package io.kmetal.storage.cli.usage;

import static io.kmetal.storage.cli.usage.HeldNamespaces.GI;
import static io.kmetal.storage.cli.usage.HeldNamespaces.MI;
import static io.kmetal.storage.cli.usage.HeldNamespaces.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code kmetal usage} counts, over tenant namespaces held in memory. */
class UsageCountTest {
  private final HeldNamespaces held = HeldNamespaces.fleet();

  private TenantUsage tenant(String name) throws Survey.UnknownTenant {
    return Survey.take(held, name, NOW).tenants().get(0);
  }

  @Test
  void everyTenantIsReportedByName() throws Exception {
    UsageReport report = Survey.take(held, null, NOW);

    assertEquals(
        List.of("acme", "globex", "initech"),
        report.tenants().stream().map(TenantUsage::tenant).toList());
  }

  @Test
  void usedIsWhatTheClaimsOfTheQuotasClassRequestAndPendingWhatAdmissionsStillNeed()
      throws Exception {
    TenantUsage acme = tenant("acme");

    assertEquals(new Tally(10 * GI, 7 * GI + 256 * MI, GI + 256 * MI), acme.bytes());
    assertEquals(new Tally(10L, 5, 1), acme.volumes());
    assertEquals(GI + GI / 2, acme.bytes().free());
    assertEquals(new BigDecimal("85.0"), acme.bytes().percent());
    assertFalse(acme.bytes().overCommitted());
    assertFalse(acme.statusLags());
  }

  @Test
  void aClaimProvisionedAfterItsAdmissionIsCountedOnceAsUsed() throws Exception {
    TenantUsage acme = tenant("acme");

    List<Claim> u1 = acme.claims().stream().filter(c -> c.name().equals("pvc-u1")).toList();
    assertEquals(
        List.of(new Claim("acme-prod", "pvc-u1", "default/logs", Claim.Counted.USED, GI, "Bound")),
        u1);
  }

  @Test
  void anAdmissionWhoseClaimIsSmallerIsPendingByTheDifferenceAndNeedsNoNewClaim() throws Exception {
    TenantUsage acme = tenant("acme");

    assertTrue(
        acme.claims()
            .contains(
                new Claim(
                    "acme-dev", "pvc-d2", "web/cache", Claim.Counted.PENDING, 256 * MI, null)),
        acme.claims().toString());
    assertTrue(
        acme.claims()
            .contains(
                new Claim("acme-prod", "pvc-p2", "default/db", Claim.Counted.PENDING, GI, null)));
  }

  @Test
  void expiredAdmissionsAndClaimsOfOtherClassesAreNotCounted() throws Exception {
    TenantUsage acme = tenant("acme");

    assertTrue(acme.claims().stream().noneMatch(c -> c.name().equals("pvc-gone")));
    assertTrue(acme.claims().stream().noneMatch(c -> c.name().equals("pvc-elsewhere")));
  }

  @Test
  void eachTenantClusterHasItsShareAndTheUnmarkedClaimsComeLast() throws Exception {
    TenantUsage acme = tenant("acme");

    assertEquals(
        List.of(
            new ClusterUsage("acme-dev", new Amount(GI + 256 * MI, 2), new Amount(256 * MI, 0)),
            new ClusterUsage("acme-prod", new Amount(3 * GI, 2), new Amount(GI, 1)),
            new ClusterUsage(null, new Amount(3 * GI, 1), Amount.NONE)),
        acme.clusters());
  }

  @Test
  void aClusterWithoutClaimsStillHasItsRow() throws Exception {
    TenantUsage globex = tenant("globex");

    assertEquals(
        List.of(
            new ClusterUsage("globex-a", new Amount(2 * GI, 1), Amount.NONE),
            new ClusterUsage("globex-b", Amount.NONE, new Amount(GI, 1))),
        globex.clusters());
  }

  @Test
  void aTenantWhoseQuotaHasNoStatusYetIsCountedFromItsClaims() throws Exception {
    TenantUsage globex = tenant("globex");

    assertNull(globex.quotaStatus());
    assertTrue(globex.statusLags());
    assertEquals(new Tally(5 * GI, 2 * GI, GI), globex.bytes());
    assertEquals(new BigDecimal("60.0"), globex.bytes().percent());
  }

  @Test
  void aQuotaLoweredBelowItsClaimsIsOverCommittedWithNothingFree() throws Exception {
    TenantUsage initech = tenant("initech");

    assertTrue(initech.bytes().overCommitted());
    assertEquals(0L, initech.bytes().free());
    assertEquals(GI, initech.bytes().excess());
    assertEquals(new BigDecimal("200.0"), initech.bytes().percent());
    assertNull(initech.volumes().hard());
    assertNull(initech.volumes().free());
    assertFalse(initech.volumes().overCommitted());
  }

  @Test
  void theTenantFilterReadsOnlyThatTenantsNamespace() throws Exception {
    UsageReport report = Survey.take(held, "globex", NOW);

    assertEquals(List.of("globex"), report.tenants().stream().map(TenantUsage::tenant).toList());
    assertEquals(List.of("globex-ns"), held.read);
  }

  @Test
  void anUnknownTenantIsAnErrorNamingTheKnownOnes() {
    var e = assertThrows(Survey.UnknownTenant.class, () -> Survey.take(held, "hooli", NOW));

    assertEquals(
        "no tenant \"hooli\" in the under cluster (tenants: acme, globex, initech): no"
            + " ResourceQuota labelled"
            + " app.kubernetes.io/name=storage-quota,app.kubernetes.io/component=quota has"
            + " app.kubernetes.io/instance=hooli",
        e.getMessage());
    assertTrue(held.read.isEmpty());
  }

  @Test
  void aClaimGoesToTheClusterWithTheMostOfItsLabelsElseToTheDefaultLabel() {
    var clusters =
        java.util.Map.of(
            "a", java.util.Map.of("team", "x"), "b", java.util.Map.of("team", "x", "env", "b"));

    assertEquals(
        "b",
        Usages.clusterOf(
            HeldNamespaces.claim("c", GI, java.util.Map.of("team", "x", "env", "b")), clusters));
    assertEquals(
        "a",
        Usages.clusterOf(HeldNamespaces.claim("c", GI, java.util.Map.of("team", "x")), clusters));
    assertEquals(
        "z",
        Usages.clusterOf(
            HeldNamespaces.claim("c", GI, java.util.Map.of(HeldNamespaces.CLUSTER_LABEL, "z")),
            clusters));
    assertNull(Usages.clusterOf(HeldNamespaces.claim("c", GI, java.util.Map.of()), clusters));
  }
}

package io.kmetal.storage.cli.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.ErasureCodingSpec;
import io.kmetal.storage.model.StorageTierSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic against cases computed by hand (Gi = 2^30 bytes). */
class PlannerTest {
  static final BigInteger GI = BigInteger.TWO.pow(30);

  static BigInteger gi(long n) {
    return GI.multiply(BigInteger.valueOf(n));
  }

  static StorageTierSpec tier(String name, DataProtectionSpec protection) {
    return StorageTierSpec.builder()
        .name(name)
        .backend(Backend.cephRbd(CephRbdBackend.builder().clusterID("ceph").pool(name).build()))
        .protection(protection)
        .build();
  }

  static DataProtectionSpec replicas(int n, String device) {
    return new DataProtectionSpec(n, null, null, device, null);
  }

  static DataProtectionSpec ec(int k, int m, String device) {
    return new DataProtectionSpec(null, new ErasureCodingSpec(k, m), null, device, null);
  }

  @Test
  void threeReplicasTripleTheUsableCapacity() {
    // 40 VMs × 200Gi = 8000Gi usable; ×3 = 24000Gi raw
    TierPlan p = Planner.tier(tier("gold", replicas(3, "nvme")), Demand.perVm("gold", 40, gi(200)));

    assertEquals(gi(8000), p.usable());
    assertEquals(gi(24000), p.raw());
    assertEquals(Ratio.of(3, 1), p.protectionOverhead());
    assertEquals(Ratio.of(3, 1), p.rawPerUsable());
    assertEquals("replicas 3", p.layout());
    assertEquals(gi(200), p.averageSize());
  }

  @Test
  void erasureCodingFourPlusTwoCostsOneAndAHalf() {
    // 10 VMs × 100Gi = 1000Gi usable; (4+2)/4 = 1.5: 1500Gi raw
    TierPlan p = Planner.tier(tier("bronze", ec(4, 2, "hdd")), Demand.perVm("bronze", 10, gi(100)));

    assertEquals(gi(1000), p.usable());
    assertEquals(gi(1500), p.raw());
    assertEquals(Ratio.of(3, 2), p.protectionOverhead());
    assertEquals(new BigDecimal("1.5"), p.rawPerUsable().decimal(6));
    assertEquals("EC 4+2", p.layout());
  }

  @Test
  void erasureCodingEightPlusThreeIsExactAndRoundsUpOnce() {
    // 3 VMs × 100Gi = 300Gi; ×11/8 = 412.5Gi exactly = 442918502400 bytes
    TierPlan whole = Planner.tier(tier("cold", ec(8, 3, "hdd")), Demand.perVm("cold", 3, gi(100)));
    assertEquals(new BigInteger("442918502400"), whole.raw());
    assertEquals("11/8", whole.rawPerUsable().toString());
    assertEquals(new BigDecimal("1.375"), whole.rawPerUsable().decimal(6));

    // 1 VM × 1001 bytes; ×11/8 = 1376.375 bytes, rounded up to 1377
    TierPlan odd =
        Planner.tier(
            tier("cold", ec(8, 3, "hdd")), Demand.perVm("cold", 1, BigInteger.valueOf(1001)));
    assertEquals(BigInteger.valueOf(1377), odd.raw());
  }

  @Test
  void compressionOneAndAHalfWithThreeReplicasDoublesTheUsableCapacity() {
    // 10 VMs × 150Gi = 1500Gi; ×3 / 1.5 = ×2: 3000Gi raw
    DataProtectionSpec p = new DataProtectionSpec(3, null, 1.5, "ssd", null);
    TierPlan line = Planner.tier(tier("silver", p), Demand.perVm("silver", 10, gi(150)));

    assertEquals(gi(3000), line.raw());
    assertEquals(Ratio.of(2, 1), line.rawPerUsable());
    assertEquals(new BigDecimal("1.5"), line.compressionRatio());
  }

  @Test
  void aRatioThatDoesNotTerminateStaysAFraction() {
    // EC 3+1: ×4/3; 1 byte needs 1.33… raw bytes: 2
    TierPlan p = Planner.tier(tier("b", ec(3, 1, null)), Demand.perVm("b", 1, BigInteger.ONE));
    assertEquals("4/3", p.rawPerUsable().toString());
    assertEquals(new BigDecimal("1.333333"), p.rawPerUsable().decimal(6));
    assertEquals(BigInteger.TWO, p.raw());
  }

  @Test
  void totalsAddTheTiersAndGroupThemByDeviceClass() {
    List<StorageTierSpec> tiers =
        List.of(
            tier("gold", replicas(3, "nvme")),
            tier("bronze", ec(4, 2, "hdd")),
            tier("cold", ec(8, 3, "hdd")),
            tier("misc", replicas(2, null)));
    Plan plan =
        Planner.plan(
            tiers,
            List.of(
                Demand.perVm("gold", 40, gi(200)), // 8000Gi → 24000Gi
                Demand.perVm("bronze", 10, gi(100)), // 1000Gi → 1500Gi
                Demand.perVm("cold", 3, gi(100)), // 300Gi → 412.5Gi
                Demand.perVm("misc", 1, gi(1)))); // 1Gi → 2Gi

    assertEquals(54, plan.total().vms());
    assertEquals(gi(9301), plan.total().usable());
    // 24000 + 1500 + 412.5 + 2 = 25914.5Gi
    assertEquals(gi(25914).add(GI.divide(BigInteger.TWO)), plan.total().raw());
    assertEquals(List.of("hdd", "nvme", "unspecified"), List.copyOf(plan.byDeviceClass().keySet()));
    Totals hdd = plan.byDeviceClass().get("hdd");
    assertEquals(13, hdd.vms());
    assertEquals(gi(1300), hdd.usable());
    assertEquals(gi(1912).add(GI.divide(BigInteger.TWO)), hdd.raw());
    assertEquals(new Totals(40, gi(8000), gi(24000)), plan.byDeviceClass().get("nvme"));
    assertEquals(
        List.of("gold", "bronze", "cold", "misc"),
        plan.tiers().stream().map(TierPlan::tier).toList());
  }

  @Test
  void totalsAddTheRoundedTierValues() {
    // two tiers of 1001 bytes at ×11/8: 1377 each (1376.375 rounded up), 2754 together
    List<StorageTierSpec> tiers = List.of(tier("a", ec(8, 3, null)), tier("b", ec(8, 3, null)));
    BigInteger size = BigInteger.valueOf(1001);
    Plan plan =
        Planner.plan(tiers, List.of(Demand.perVm("a", 1, size), Demand.perVm("b", 1, size)));
    assertEquals(BigInteger.valueOf(2754), plan.total().raw());
  }

  @Test
  void aTotalDemandKeepsItsCapacityAndAveragesPerVm() {
    // an SPBM policy: 3 VMs holding 10 bytes together; average 3.33 rounds to 3
    Demand d = Demand.total("gold", 3, BigInteger.TEN);
    assertEquals(BigInteger.TEN, d.usable());
    assertEquals(BigInteger.valueOf(3), d.averageSize());
  }

  @Test
  void aTierWithoutProtectionIsAProgrammingError() {
    StorageTierSpec bare = tier("bare", null);
    assertThrows(
        IllegalArgumentException.class,
        () -> Planner.tier(bare, Demand.perVm("bare", 1, BigInteger.ONE)));
  }
}

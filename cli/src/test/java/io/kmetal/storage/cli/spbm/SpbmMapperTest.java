package io.kmetal.storage.cli.spbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.ErasureCodingSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.validation.Validator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every mapping rule of one policy, with the decision line it prints. */
class SpbmMapperTest {
  static Policy policy(int ftt, FailureToleranceMethod method) {
    return new Policy(
        "policies[0]", "Gold", ftt, method, null, null, false, null, null, null, null);
  }

  static Policy with(
      Policy p, Integer stripeWidth, StorageType type, boolean encryption, Long iopsLimit) {
    return new Policy(
        p.entry(),
        p.name(),
        p.hostFailuresToTolerate(),
        p.method(),
        stripeWidth,
        type,
        encryption,
        iopsLimit,
        p.vmCount(),
        p.capacity(),
        p.capacityText());
  }

  static Mapping map(Policy p) {
    return SpbmMapper.map(p, "gold", ImportOptions.defaults());
  }

  static List<String> lines(Mapping m) {
    return m.decisions().stream().map(Decision::toString).toList();
  }

  @ParameterizedTest(name = "FTT={0} {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          1 | RAID_1   | replicas 2 (FTT=1 with RAID-1 mirroring keeps 2 copies)
          2 | RAID_1   | replicas 3 (FTT=2 with RAID-1 mirroring keeps 3 copies)
          3 | RAID_1   | replicas 4 (FTT=3 with RAID-1 mirroring keeps 4 copies)
          1 | RAID_5_6 | erasureCoding 3+1 (FTT=1 with RAID-5/6 erasure coding is RAID-5, which vSAN lays out as 3 data + 1 parity: ×4/3)
          1 | RAID_5   | erasureCoding 3+1 (FTT=1 with RAID-5 erasure coding is RAID-5, which vSAN lays out as 3 data + 1 parity: ×4/3)
          2 | RAID_5_6 | erasureCoding 4+2 (FTT=2 with RAID-5/6 erasure coding is RAID-6, which vSAN lays out as 4 data + 2 parity: ×1.5)
          2 | RAID_6   | erasureCoding 4+2 (FTT=2 with RAID-6 erasure coding is RAID-6, which vSAN lays out as 4 data + 2 parity: ×1.5)
          0 | RAID_1   | replicas 1 (FTT=0 keeps a single copy)
          0 | RAID_5_6 | replicas 1 (FTT=0 keeps a single copy)
          """)
  void failuresToTolerateAndMethodGiveTheLayout(
      int ftt, FailureToleranceMethod method, String decision) {
    Mapping m = map(policy(ftt, method));

    assertTrue(m.isMapped());
    assertEquals("gold: " + decision, m.decisions().get(1).toString());
    DataProtectionSpec p = m.tier().protection();
    if (decision.startsWith("replicas")) {
      assertEquals(ftt == 0 ? 1 : ftt + 1, p.replicas());
      assertNull(p.erasureCoding());
    } else {
      assertEquals(
          ftt == 1 ? new ErasureCodingSpec(3, 1) : new ErasureCodingSpec(4, 2), p.erasureCoding());
      assertNull(p.replicas());
    }
    assertEquals(List.of(), Validator.validate(m.tier()), "the validator accepts the tier");
  }

  @Test
  void noMethodMeansVsansDefaultMirroringAndSaysSo() {
    Mapping m = map(policy(1, null));
    assertEquals(
        "gold: replicas 2 (FTT=1 with RAID-1 (vSAN's default; the policy names none) mirroring"
            + " keeps 2 copies)",
        m.decisions().get(1).toString());
  }

  @Test
  void ftt0WarnsThatOneCopyLosesDataAndCephNeedsASetting() {
    List<String> lines = lines(map(policy(0, FailureToleranceMethod.RAID_1)));
    assertTrue(
        lines.contains(
            "gold: warning: one copy: a failed disk or host loses the volumes on it, and Ceph"
                + " refuses a pool of size 1 unless mon_allow_pool_size_one is set"),
        lines::toString);
  }

  @Test
  void twoCopiesWarnThatCephWritesOnOneByDefault() {
    List<String> lines = lines(map(policy(1, FailureToleranceMethod.RAID_1)));
    assertEquals(
        "gold: warning: two copies: a Ceph pool of size 2 gets min_size 1 by default (size -"
            + " size/2), so it accepts writes on a single copy while the other is down; replicas 3"
            + " is Ceph's usual choice",
        lines.get(2));
    assertFalse(
        lines(map(policy(2, FailureToleranceMethod.RAID_1))).stream()
            .anyMatch(l -> l.contains("warning")));
  }

  @Test
  void raid5WarnsThatOneCodingChunkPausesIoOnAHostLoss() {
    List<String> lines = lines(map(policy(1, FailureToleranceMethod.RAID_5_6)));
    assertTrue(
        lines.contains(
            "gold: warning: one coding chunk: Ceph's recommended min_size for an erasure-coded pool"
                + " is k+1 = 4, all chunks of 3+1, so one host down pauses I/O on the placement"
                + " groups it held; 4+2 keeps serving"),
        lines::toString);
  }

  @ParameterizedTest(name = "FTT={0} {1}")
  @CsvSource({
    "3, RAID_5_6, 'FTT=3 with RAID-5/6: vSAN''s erasure coding tolerates one failure (RAID-5) or"
        + " two (RAID-6), never three, so there is no layout to carry over; import it as RAID-1 (4"
        + " copies) or describe a profile with 3 coding chunks (e.g. 8+3) by hand'",
    "3, RAID_5, 'FTT=3 with RAID-5: RAID-5 tolerates exactly one failure; vSAN''s erasure coding for"
        + " FTT=2 is RAID-6 (4+2) and for FTT=3 there is none (RAID-1 keeps 4 copies)'",
    "2, RAID_5, 'FTT=2 with RAID-5: RAID-5 tolerates exactly one failure; vSAN''s erasure coding for"
        + " FTT=2 is RAID-6 (4+2) and for FTT=3 there is none (RAID-1 keeps 4 copies)'",
    "1, RAID_6, 'FTT=1 with RAID-6: RAID-6 tolerates exactly two failures; vSAN''s erasure coding for"
        + " FTT=1 is RAID-5 (3+1) and for FTT=3 there is none (RAID-1 keeps 4 copies)'",
    "3, RAID_6, 'FTT=3 with RAID-6: RAID-6 tolerates exactly two failures; vSAN''s erasure coding for"
        + " FTT=1 is RAID-5 (3+1) and for FTT=3 there is none (RAID-1 keeps 4 copies)'",
  })
  void layoutsVsanDoesNotHaveAreNotMappedAndSayWhy(
      int ftt, FailureToleranceMethod method, String why) {
    Mapping m = map(policy(ftt, method));

    assertFalse(m.isMapped());
    assertNull(m.tier());
    assertEquals("gold (policy \"Gold\"): " + why, m.notMappedLine());
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "NVME      | nvme | gold: deviceClass nvme (storage type nvme)",
        "SSD       | ssd  | gold: deviceClass ssd (storage type ssd)",
        "HDD       | hdd  | gold: deviceClass hdd (storage type hdd)",
        "ALL_FLASH | ssd  | gold: deviceClass ssd (storage type allFlash: flash devices; write nvme in"
            + " the inventory if they are NVMe)",
        "HYBRID    | hdd  | gold: deviceClass hdd (storage type hybrid: vSAN keeps the data on"
            + " magnetic disks behind a flash cache; Ceph has no cache tier to match, though"
            + " BlueStore can keep its DB/WAL on flash)",
      })
  void storageTypeGivesTheDeviceClass(StorageType type, String deviceClass, String line) {
    Mapping m = map(with(policy(2, FailureToleranceMethod.RAID_1), null, type, false, null));

    assertEquals(deviceClass, m.tier().protection().deviceClass());
    assertEquals(line, m.decisions().get(2).toString());
  }

  @Test
  void noStorageTypeLeavesTheDeviceClassUnset() {
    Mapping m = map(policy(2, FailureToleranceMethod.RAID_1));
    assertNull(m.tier().protection().deviceClass());
    assertEquals(
        "gold: no deviceClass (the policy names no storage type; the plan counts the tier as"
            + " unspecified)",
        m.decisions().get(2).toString());
  }

  @Test
  void erasureCodingOnSpinningDisksIsMappedWithAWarning() {
    List<String> lines =
        lines(
            map(
                with(
                    policy(1, FailureToleranceMethod.RAID_5_6),
                    null,
                    StorageType.HYBRID,
                    false,
                    null)));
    assertTrue(
        lines.contains(
            "gold: warning: vSAN offers RAID-5/6 only on all-flash storage, yet the policy's storage"
                + " type is hybrid; check the inventory (mapped as given)"),
        lines::toString);
  }

  @Test
  void replicatedTiersGetAPoolNamedAfterThem() {
    Mapping m =
        SpbmMapper.map(
            policy(2, FailureToleranceMethod.RAID_1),
            "gold",
            new ImportOptions(ImportOptions.Kind.cephRbd, null, "rook-ceph", "vsan-", "rook-ceph"));
    CephRbdBackend rbd = m.tier().backend().cephRbd();

    assertEquals("vsan-gold", rbd.pool());
    assertNull(rbd.dataPool());
    assertEquals("rook-ceph", rbd.clusterID());
    assertEquals("rook-ceph", rbd.secretNamespace());
    assertEquals(CephRbdBackend.DEFAULT_PROVISIONER, rbd.provisioner());
    assertTrue(
        lines(m)
            .contains(
                "gold: backend cephRbd, pool vsan-gold (a replicated pool named after the tier;"
                    + " provisioner rbd.csi.ceph.com, clusterID rook-ceph, pool prefix \"vsan-\","
                    + " set by --provisioner, --cluster-id, --pool-prefix)"),
        lines(m)::toString);
  }

  @Test
  void erasureCodedTiersGetAReplicatedMetadataPoolAndAnErasureCodedDataPool() {
    Mapping m = map(policy(2, FailureToleranceMethod.RAID_5_6));
    CephRbdBackend rbd = m.tier().backend().cephRbd();

    assertEquals("gold-metadata", rbd.pool());
    assertEquals("gold-data", rbd.dataPool());
    assertFalse(rbd.imageFeatures().contains("deep-flatten"));
    assertTrue(
        lines(m).stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "gold: backend cephRbd, pool gold-metadata, dataPool gold-data (RBD keeps"
                            + " image metadata in a replicated pool and the data in the"
                            + " erasure-coded one, which needs allow_ec_overwrites;")),
        lines(m)::toString);
    assertEquals(List.of(), Validator.validate(m.tier()));
  }

  @Test
  void encryptionBecomesAnEncryptedPoolRequirement() {
    Mapping m = map(with(policy(2, FailureToleranceMethod.RAID_1), null, null, true, null));

    assertTrue(m.tier().protection().encrypted());
    assertEquals(
        "gold: encrypted true (requirement: an encrypted pool, its OSDs created with dm-crypt as"
            + " vSAN encrypted the datastore: cephadm OSD spec encrypted: true, Rook"
            + " encryptedDevice: \"true\"; ceph-csi's per-volume LUKS, StorageClass parameter"
            + " encrypted: \"true\" with an encryptionPassphrase secret or an encryptionKMSID, is"
            + " the alternative the cephRbd backend does not render)",
        lines(m).get(4));
    assertEquals(List.of(), m.gaps());
  }

  @Test
  void noEncryptionIsSaidToo() {
    Mapping m = map(policy(2, FailureToleranceMethod.RAID_1));
    assertFalse(m.tier().protection().encrypted());
    assertEquals("gold: encrypted false (the policy does not encrypt)", lines(m).get(4));
  }

  @Test
  void anIopsLimitOnCephRbdIsAGapNotADroppedSetting() {
    Mapping m = map(with(policy(2, FailureToleranceMethod.RAID_1), null, null, false, 5000L));

    assertTrue(
        lines(m)
            .contains("gold: iopsLimit 5000 not carried (a gap, listed with its reason below)"));
    assertEquals(1, m.gaps().size());
    assertEquals(
        "gold: iopsLimit 5000: the cephRbd backend renders no QoS parameters, and ceph-csi's RBD"
            + " StorageClass QoS parameters take effect only with the rbd-nbd mounter; for krbd"
            + " volumes ceph-csi applies IOPS caps from a VolumeAttributesClass (cgroup v2,"
            + " Kubernetes 1.34+): create one with this limit and name it in the claims",
        m.gaps().get(0).toString());
  }

  @Test
  void anIopsLimitBecomesParametersOfACsiDriverKnownToTakeThem() {
    Mapping m =
        SpbmMapper.map(
            with(policy(2, FailureToleranceMethod.RAID_1), null, null, false, 5000L),
            "gold",
            new ImportOptions(ImportOptions.Kind.csi, "pxd.portworx.com", null, null, null));

    assertEquals(
        Map.of("io_throttle_rd_iops", "5000", "io_throttle_wr_iops", "5000"),
        m.tier().backend().csi().parameters());
    assertEquals(List.of(), m.gaps());
    assertTrue(
        lines(m)
            .contains(
                "gold: parameters io_throttle_rd_iops: \"5000\", io_throttle_wr_iops: \"5000\""
                    + " (iopsLimit 5000; Portworx (Application I/O Control) caps reads and writes"
                    + " separately, while vSAN counted both together in 32 KiB units, so the cap"
                    + " is looser)"),
        lines(m)::toString);
    assertEquals(List.of(), Validator.validate(m.tier()));
  }

  @Test
  void anIopsLimitForAnUnknownCsiDriverIsAGap() {
    Mapping m =
        SpbmMapper.map(
            with(policy(2, FailureToleranceMethod.RAID_1), null, null, false, 5000L),
            "gold",
            new ImportOptions(ImportOptions.Kind.csi, "csi.example.com", null, null, null));

    assertEquals(Map.of(), m.tier().backend().csi().parameters());
    assertEquals(
        "gold: iopsLimit 5000: no StorageClass IOPS parameter is known for driver csi.example.com"
            + " (known: diskplugin.csi.alibabacloud.com, pxd.portworx.com); if it has one, set it"
            + " in backend.csi.parameters",
        m.gaps().get(0).toString());
  }

  @Test
  void noIopsLimitIsSaidToo() {
    assertTrue(
        lines(map(with(policy(1, null), null, null, false, 0L)))
            .contains("gold: no IOPS limit (the policy sets none)"));
  }

  @Test
  void aStripeWidthAboveOneIsAGap() {
    Mapping m = map(with(policy(1, FailureToleranceMethod.RAID_1), 4, null, false, null));

    assertTrue(
        lines(m).contains("gold: stripeWidth 4 not carried (a gap, listed with its reason below)"));
    assertEquals(
        "gold: stripeWidth 4: vSAN stripes each replica over 4 capacity disks; a Ceph class has no"
            + " such setting: RBD cuts every image into objects (4 MiB by default) that CRUSH"
            + " spreads over all OSDs of the pool",
        m.gaps().get(0).toString());
  }

  @Test
  void aStripeWidthOfOneNeedsNothing() {
    assertTrue(
        lines(map(with(policy(1, null), 1, null, false, null)))
            .contains(
                "gold: stripeWidth 1 needs nothing (one stripe per replica, vSAN's default)"));
    assertTrue(
        lines(map(policy(1, null)))
            .contains(
                "gold: stripeWidth 1 needs nothing (not given; vSAN's default is one stripe per"
                    + " replica)"));
  }

  @Test
  void theTierIsDescribedByItsPolicy() {
    StorageTierSpec t =
        map(with(policy(2, FailureToleranceMethod.RAID_1), 2, StorageType.NVME, true, 5000L))
            .tier();
    assertEquals(
        "SPBM policy Gold (FTT=2, RAID-1, nvme, encrypted, IOPS limit 5000, stripe width 2)",
        t.description());
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource({
    "Gold, gold",
    "gold, gold",
    "vSAN Gold (NVMe), vsan-gold-nvme",
    "--Tier_1--, tier-1",
    "Ünïcode Tier, n-code-tier",
  })
  void policyNamesBecomeDnsLabels(String policyName, String tier) {
    assertEquals(Optional.of(tier), TierNames.of(policyName));
  }

  @Test
  void aNameWithoutLettersOrDigitsGivesNoTierName() {
    assertEquals(Optional.empty(), TierNames.of("!!!"));
    assertEquals(63, TierNames.of("a".repeat(70)).orElseThrow().length());
  }

  @Test
  void theNameDecisionSaysWhatWasDone() {
    assertEquals(
        "gold: tier name from policy \"Gold\" (lowercased: tier names are DNS-1123 names)",
        lines(map(policy(1, null))).get(0));
    Policy odd =
        new Policy("policies[0]", "Gold Tier", 1, null, null, null, false, null, null, null, null);
    assertEquals(
        "gold-tier: tier name from policy \"Gold Tier\" (sanitised to a DNS-1123 name: lowercase"
            + " letters, digits and '-', at most 63)",
        SpbmMapper.map(odd, "gold-tier", ImportOptions.defaults()).decisions().get(0).toString());
  }
}

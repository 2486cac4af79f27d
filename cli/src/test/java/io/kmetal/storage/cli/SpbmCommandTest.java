package io.kmetal.storage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.validation.Validator;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kmetal spbm import} of the shipped Gold / Silver / Bronze inventory: every decision it
 * prints, the gaps, the tiers it writes (which the fleet validator accepts) and the plan.
 */
class SpbmCommandTest {
  static final Path SAMPLE = Sandbox.projectRoot().resolve("examples/spbm/policies.yaml");

  static final List<String> DECISIONS =
      List.of(
          "gold: tier name from policy \"Gold\" (lowercased: tier names are DNS-1123 names)",
          "gold: replicas 3 (FTT=2 with RAID-1 mirroring keeps 3 copies)",
          "gold: deviceClass nvme (storage type nvme)",
          "gold: backend cephRbd, pool gold (a replicated pool named after the tier; provisioner"
              + " rbd.csi.ceph.com, clusterID ceph, pool prefix \"\", set by --provisioner,"
              + " --cluster-id, --pool-prefix)",
          "gold: encrypted true (requirement: an encrypted pool, its OSDs created with dm-crypt as"
              + " vSAN encrypted the datastore: cephadm OSD spec encrypted: true, Rook"
              + " encryptedDevice: \"true\"; ceph-csi's per-volume LUKS, StorageClass parameter"
              + " encrypted: \"true\" with an encryptionPassphrase secret or an encryptionKMSID,"
              + " is the alternative the cephRbd backend does not render)",
          "gold: iopsLimit 5000 not carried (a gap, listed with its reason below)",
          "gold: stripeWidth 1 needs nothing (one stripe per replica, vSAN's default)",
          "silver: tier name from policy \"Silver\" (lowercased: tier names are DNS-1123 names)",
          "silver: replicas 2 (FTT=1 with RAID-1 mirroring keeps 2 copies)",
          "silver: warning: two copies: a Ceph pool of size 2 gets min_size 1 by default (size -"
              + " size/2), so it accepts writes on a single copy while the other is down; replicas"
              + " 3 is Ceph's usual choice",
          "silver: deviceClass ssd (storage type allFlash: flash devices; write nvme in the"
              + " inventory if they are NVMe)",
          "silver: backend cephRbd, pool silver (a replicated pool named after the tier;"
              + " provisioner rbd.csi.ceph.com, clusterID ceph, pool prefix \"\", set by"
              + " --provisioner, --cluster-id, --pool-prefix)",
          "silver: encrypted false (the policy does not encrypt)",
          "silver: no IOPS limit (the policy sets none)",
          "silver: stripeWidth 1 needs nothing (not given; vSAN's default is one stripe per"
              + " replica)",
          "bronze: tier name from policy \"Bronze\" (lowercased: tier names are DNS-1123 names)",
          "bronze: erasureCoding 3+1 (FTT=1 with RAID-5/6 erasure coding is RAID-5, which vSAN"
              + " lays out as 3 data + 1 parity: ×4/3)",
          "bronze: warning: one coding chunk: Ceph's recommended min_size for an erasure-coded"
              + " pool is k+1 = 4, all chunks of 3+1, so one host down pauses I/O on the placement"
              + " groups it held; 4+2 keeps serving",
          "bronze: deviceClass hdd (storage type hybrid: vSAN keeps the data on magnetic disks"
              + " behind a flash cache; Ceph has no cache tier to match, though BlueStore can keep"
              + " its DB/WAL on flash)",
          "bronze: warning: vSAN offers RAID-5/6 only on all-flash storage, yet the policy's"
              + " storage type is hybrid; check the inventory (mapped as given)",
          "bronze: backend cephRbd, pool bronze-metadata, dataPool bronze-data (RBD keeps image"
              + " metadata in a replicated pool and the data in the erasure-coded one, which needs"
              + " allow_ec_overwrites; provisioner rbd.csi.ceph.com, clusterID ceph, pool prefix"
              + " \"\", set by --provisioner, --cluster-id, --pool-prefix)",
          "bronze: encrypted false (the policy does not encrypt)",
          "bronze: no IOPS limit (the policy sets none)",
          "bronze: stripeWidth 2 not carried (a gap, listed with its reason below)",
          "gaps (settings the tiers do not carry):",
          "  gold: iopsLimit 5000: the cephRbd backend renders no QoS parameters, and ceph-csi's"
              + " RBD StorageClass QoS parameters take effect only with the rbd-nbd mounter; for"
              + " krbd volumes ceph-csi applies IOPS caps from a VolumeAttributesClass (cgroup v2,"
              + " Kubernetes 1.34+): create one with this limit and name it in the claims",
          "  bronze: stripeWidth 2: vSAN stripes each replica over 2 capacity disks; a Ceph class"
              + " has no such setting: RBD cuts every image into objects (4 MiB by default) that"
              + " CRUSH spreads over all OSDs of the pool",
          "not mapped: none");

  static Path output() throws Exception {
    return Files.createTempDirectory("spbm-").resolve("tiers.yaml");
  }

  @Test
  void theSampleInventoryIsImportedWithEveryDecisionPrinted() throws Exception {
    Path tiers = output();
    KmetalRun run = KmetalRun.of("spbm", "import", SAMPLE.toString(), "-o", tiers.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(DECISIONS, lines.subList(0, DECISIONS.size()));
    assertEquals(
        "wrote 3 of 3 policies as storageTiers to "
            + tiers
            + " (2 gaps, 0 not mapped); merge them into a fleet file",
        lines.get(DECISIONS.size()));
    assertEquals(DECISIONS.size() + 1, lines.size());
  }

  @Test
  void theWrittenTiersAreOnesTheFleetValidatorAccepts() throws Exception {
    Path tiers = output();
    KmetalRun.of("spbm", "import", SAMPLE.toString(), "-o", tiers.toString());

    Fleet fleet = FleetFile.parse(Files.readString(tiers), tiers.toString());
    assertEquals(
        List.of("gold", "silver", "bronze"),
        fleet.storageTiers().stream().map(StorageTierSpec::name).toList());
    for (StorageTierSpec t : fleet.storageTiers()) assertEquals(List.of(), Validator.validate(t));
    StorageTierSpec gold = fleet.storageTiers().get(0);
    assertEquals(3, gold.protection().replicas());
    assertEquals("nvme", gold.protection().deviceClass());
    assertTrue(gold.protection().encrypted());
    assertEquals(2, fleet.storageTiers().get(1).protection().replicas());
    assertEquals(3, fleet.storageTiers().get(2).protection().erasureCoding().dataChunks());
    assertEquals("bronze-data", fleet.storageTiers().get(2).backend().cephRbd().dataPool());
    String text = Files.readString(tiers);
    assertTrue(text.startsWith("# storageTiers imported from SPBM policies"), text);
    assertTrue(text.contains("#   gold: iopsLimit 5000: the cephRbd backend renders no QoS"), text);
  }

  @Test
  void planPrintsTheCapacityOfTheImportedTiers() throws Exception {
    KmetalRun run =
        KmetalRun.of("spbm", "import", SAMPLE.toString(), "-o", output().toString(), "--plan");

    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.out().lines().map(String::stripTrailing).toList();
    int at =
        lines.indexOf("capacity plan of the imported tiers (each policy's vmCount and capacity):");
    assertTrue(at > 0, run.out());
    // gold 8000Gi ×3 = 24000Gi; silver 12000Gi ×2 = 24000Gi; bronze 25Ti ×4/3 = 33.33Ti
    assertEquals(
        List.of(
            "gold    gold    nvme     40     200Gi   7.81Ti  replicas 3        ×3            1"
                + "          ×3  23.44Ti",
            "silver  silver  ssd     120     100Gi  11.72Ti  replicas 2        ×2            1"
                + "          ×2  23.44Ti",
            "bronze  bronze  hdd      25       1Ti     25Ti  EC 3+1          ×4/3            1"
                + "        ×4/3  33.33Ti"),
        lines.subList(at + 2, at + 5));
    // all: 45600Gi usable (44.53Ti); 24000 + 24000 + 34133.33Gi = 82133.33Gi raw (80.21Ti)
    assertTrue(
        lines.contains(
            "total           (all)   185            44.53Ti"
                + "                                                 80.21Ti"),
        run.out());
  }

  @Test
  void badInputWritesNothingAndPrintsOnlyTheProblems() throws Exception {
    Path inventory = Files.createTempDirectory("spbm-").resolve("policies.yaml");
    Files.writeString(
        inventory,
        "policies:\n  - {name: Gold, hostFailuresToTolerate: 5}\n  - {name: Gold, hostFailuresToTolerate: 1}\n");
    Path tiers = output();
    KmetalRun run = KmetalRun.of("spbm", "import", inventory.toString(), "-o", tiers.toString());

    assertEquals(1, run.exit());
    assertEquals("", run.out());
    assertEquals(
        "error: "
            + inventory
            + ": 2 problems; nothing was written:\n"
            + "  - policies[0].hostFailuresToTolerate: 5 is out of range; use a whole number from 0"
            + " to 3\n"
            + "  - policies[1].name: \"Gold\" is already the name of policies[0]\n",
        run.err());
    assertFalse(Files.exists(tiers));
  }

  @Test
  void aPolicyThatCannotBeMappedIsListedAndTheRestWritten() throws Exception {
    Path inventory = Files.createTempDirectory("spbm-").resolve("policies.yaml");
    Files.writeString(
        inventory,
        "policies:\n"
            + "  - {name: Archive, hostFailuresToTolerate: 3, failureToleranceMethod: RAID-5/6}\n"
            + "  - {name: Scratch, hostFailuresToTolerate: 0}\n");
    Path tiers = output();
    KmetalRun run = KmetalRun.of("spbm", "import", inventory.toString(), "-o", tiers.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(
        run.out()
            .contains(
                "not mapped (no tier written):\n  archive (policy \"Archive\"): FTT=3 with RAID-5/6:"
                    + " vSAN's erasure coding tolerates one failure (RAID-5) or two (RAID-6)"),
        run.out());
    assertTrue(run.out().contains("scratch: warning: one copy:"), run.out());
    assertTrue(run.out().contains("wrote 1 of 2 policies as storageTiers to "), run.out());
    Fleet fleet = FleetFile.parse(Files.readString(tiers), tiers.toString());
    assertEquals(1, fleet.storageTiers().size());
    assertTrue(Files.readString(tiers).contains("#   archive (policy \"Archive\"): FTT=3"));
  }

  @Test
  void aCsiBackendNeedsItsProvisioner() throws Exception {
    KmetalRun run =
        KmetalRun.of(
            "spbm", "import", SAMPLE.toString(), "-o", output().toString(), "--backend", "csi");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--backend csi needs --provisioner DRIVER"), run.err());
  }

  @Test
  void aCsiBackendCarriesTheIopsLimitWhereTheDriverTakesIt() throws Exception {
    Path tiers = output();
    KmetalRun run =
        KmetalRun.of(
            "spbm",
            "import",
            SAMPLE.toString(),
            "-o",
            tiers.toString(),
            "--backend",
            "csi",
            "--provisioner",
            "pxd.portworx.com");

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("gold: parameters io_throttle_rd_iops: \"5000\""), run.out());
    StorageTierSpec gold =
        FleetFile.parse(Files.readString(tiers), tiers.toString()).storageTiers().get(0);
    assertEquals("5000", gold.backend().csi().parameters().get("io_throttle_wr_iops"));
  }

  @Test
  void spbmAloneIsAUsageError() {
    assertEquals(2, KmetalRun.of("spbm").exit());
  }
}

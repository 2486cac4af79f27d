package io.kmetal.storage.cli.spbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmetal.storage.cli.plan.InvalidInputException;
import io.kmetal.storage.model.validation.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A whole inventory: distinct tier names, and nothing the fleet validator would refuse. */
class SpbmImportTest {
  static Policy named(String entry, String name) {
    return new Policy(entry, name, 1, null, null, null, false, null, null, null, null);
  }

  @Test
  void twoPoliciesThatGiveOneTierNameAreRefused() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                SpbmImport.run(
                    List.of(named("policies[0]", "vSAN Gold"), named("policies[1]", "vsan-gold")),
                    ImportOptions.defaults(),
                    "p.yaml"));
    assertEquals(
        List.of(
            new Problem(
                "policies[1].name",
                "\"vsan-gold\" becomes tier vsan-gold, as policies[0] (\"vSAN Gold\") does; rename"
                    + " one of them")),
        e.problems());
  }

  @Test
  void aNameWithoutLettersIsRefused() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                SpbmImport.run(
                    List.of(named("policies[0]", "***")), ImportOptions.defaults(), "p.yaml"));
    assertEquals(
        List.of(
            new Problem(
                "policies[0].name",
                "\"***\" has no letter or digit to make a tier name of; rename it")),
        e.problems());
  }

  @Test
  void tiersTheValidatorRefusesAreReportedWithTheirPolicyAndNotWritten() {
    ImportResult result =
        SpbmImport.run(
            List.of(named("policies[0]", "Gold")),
            new ImportOptions(ImportOptions.Kind.cephRbd, null, " ", null, null),
            "p.yaml");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> TierYaml.render(result, List.of(), "p.yaml"));
    assertEquals(
        List.of(
            new Problem("policies[0] → storageTiers[0].backend.cephRbd.clusterID", "is required")),
        e.problems());
  }

  @Test
  void theWrittenFragmentHasOnlyWhatTheImportSets() {
    ImportResult result =
        SpbmImport.run(
            List.of(
                new Policy(
                    "policies[0]",
                    "Bronze",
                    2,
                    FailureToleranceMethod.RAID_6,
                    null,
                    StorageType.HDD,
                    true,
                    null,
                    null,
                    null,
                    null)),
            ImportOptions.defaults(),
            "p.yaml");
    assertEquals(
        """
        # a comment
        storageTiers:
          - name: bronze
            description: "SPBM policy Bronze (FTT=2, RAID-6, hdd, encrypted)"
            backend:
              cephRbd:
                clusterID: ceph
                pool: bronze-metadata
                dataPool: bronze-data
            protection:
              erasureCoding:
                dataChunks: 4
                codingChunks: 2
              deviceClass: hdd
              encrypted: true
        """,
        TierYaml.render(result, List.of("a comment"), "p.yaml"));
  }
}

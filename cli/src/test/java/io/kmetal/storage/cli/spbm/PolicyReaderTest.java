package io.kmetal.storage.cli.spbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmetal.storage.cli.plan.InvalidInputException;
import io.kmetal.storage.model.validation.Problem;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inventory's shape: defaults left null, every problem named by entry and field. */
class PolicyReaderTest {
  static List<Problem> problems(String yaml) {
    return assertThrows(InvalidInputException.class, () -> PolicyReader.read(yaml, "p.yaml"))
        .problems();
  }

  @Test
  void readsEveryField() {
    List<Policy> policies =
        PolicyReader.read(
            "policies:\n"
                + "  - name: Gold\n"
                + "    hostFailuresToTolerate: 2\n"
                + "    failureToleranceMethod: mirroring\n"
                + "    stripeWidth: 2\n"
                + "    storageType: all-flash\n"
                + "    encryption: true\n"
                + "    iopsLimit: 5000\n"
                + "    vmCount: 40\n"
                + "    capacity: 8000Gi\n"
                + "  - {name: Bronze, hostFailuresToTolerate: 1}\n",
            "p.yaml");

    assertEquals(
        new Policy(
            "policies[0]",
            "Gold",
            2,
            FailureToleranceMethod.RAID_1,
            2,
            StorageType.ALL_FLASH,
            true,
            5000L,
            40L,
            BigInteger.TWO.pow(30).multiply(BigInteger.valueOf(8000)),
            "8000Gi"),
        policies.get(0));
    assertEquals(
        new Policy("policies[1]", "Bronze", 1, null, null, null, false, null, null, null, null),
        policies.get(1));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          FTT above 3        | hostFailuresToTolerate: 4 | policies[0].hostFailuresToTolerate | 4 is out of range; use a whole number from 0 to 3
          FTT not a number   | hostFailuresToTolerate: two | policies[0].hostFailuresToTolerate | "two" is not a whole number
          unknown method     | 'hostFailuresToTolerate: 1, failureToleranceMethod: RAID-10' | policies[0].failureToleranceMethod | "RAID-10" is not allowed; use one of RAID-1 (or mirroring), RAID-5/6 (or erasureCoding), RAID-5, RAID-6
          stripe width 13    | 'hostFailuresToTolerate: 1, stripeWidth: 13' | policies[0].stripeWidth | 13 is out of range; use a whole number from 1 to 12
          unknown storage    | 'hostFailuresToTolerate: 1, storageType: tape' | policies[0].storageType | "tape" is not allowed; use one of allFlash, hybrid, nvme, ssd, hdd
          encryption yes     | 'hostFailuresToTolerate: 1, encryption: maybe' | policies[0].encryption | "maybe" is not true or false
          negative IOPS      | 'hostFailuresToTolerate: 1, iopsLimit: -1' | policies[0].iopsLimit | -1 is out of range; use a whole number of at least 0
          bad capacity       | 'hostFailuresToTolerate: 1, capacity: 8TB' | policies[0].capacity | "8TB" is not a Kubernetes quantity: write a number with a binary suffix, e.g. 200Gi or 1.5Ti (Gi = 2^30 bytes; G = 10^9)
          unknown field      | 'hostFailuresToTolerate: 1, ftt: 1' | policies[0].ftt | unknown field; known fields here: name, hostFailuresToTolerate, failureToleranceMethod, stripeWidth, storageType, encryption, iopsLimit, vmCount, capacity
          no FTT             | 'stripeWidth: 1' | policies[0].hostFailuresToTolerate | is required
          """)
  void eachProblemNamesItsEntryAndField(String name, String fields, String field, String message) {
    assertEquals(
        List.of(new Problem(field, message)),
        problems("policies:\n  - {name: Gold, " + fields + "}\n"));
  }

  @Test
  void namesAreRequiredAndUnique() {
    assertEquals(
        List.of(
            new Problem("policies[1].name", "\"Gold\" is already the name of policies[0]"),
            new Problem("policies[2].name", "is required")),
        problems(
            "policies:\n"
                + "  - {name: Gold, hostFailuresToTolerate: 1}\n"
                + "  - {name: Gold, hostFailuresToTolerate: 1}\n"
                + "  - {hostFailuresToTolerate: 1}\n"));
  }

  @Test
  void anEmptyInventoryIsRefused() {
    assertEquals(
        List.of(
            new Problem(
                "policies",
                "lists no policy: give policies: [{name: Gold, hostFailuresToTolerate: 2,"
                    + " failureToleranceMethod: RAID-1}]")),
        problems("policies: []\n"));
  }
}

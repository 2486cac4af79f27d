package io.kmetal.storage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kmetal plan} on the acceptance fleet and the shipped demand, as the README shows it;
 * nothing but errors on bad input.
 */
class PlanCommandTest {
  static final Path EXAMPLE = Sandbox.projectRoot().resolve("examples/plan");
  static final Path FLEET = Sandbox.projectRoot().resolve("fixtures/fleet.yaml");

  static KmetalRun plan(Path demand, String... more) {
    List<String> args =
        new ArrayList<>(List.of("plan", "-f", FLEET.toString(), "--demand", demand.toString()));
    args.addAll(List.of(more));
    return KmetalRun.of(args.toArray(String[]::new));
  }

  static Path write(String name, String text) throws Exception {
    Path file = Files.createTempDirectory("plan-").resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void theAcceptanceFleetIsPlannedPerTierWithTotals() {
    KmetalRun run = plan(EXAMPLE.resolve("demand.yaml"));

    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err());
    List<String> lines = run.out().lines().map(String::stripTrailing).toList();
    // gold: 40 × 200Gi = 8000Gi (7.81Ti), ×3 = 24000Gi (23.44Ti)
    assertEquals(
        "gold    ocs-gold-nvme      nvme     40     200Gi   7.81Ti  replicas 3        ×3"
            + "            1          ×3  23.44Ti",
        lines.get(1));
    // bronze: 25 × 1Ti = 25Ti, ×(4+2)/4 = 37.5Ti
    assertEquals(
        "bronze  ocs-bronze-ec      hdd      25       1Ti     25Ti  EC 4+2          ×1.5"
            + "            1        ×1.5   37.5Ti",
        lines.get(3));
    // ssd: silver 12000Gi + shared 500Gi = 12500Gi (12.21Ti), ×3 = 37500Gi (36.62Ti)
    assertTrue(
        lines.contains(
            "total                      ssd     130            12.21Ti"
                + "                                                 36.62Ti"),
        run.out());
    // all: 8000 + 12000 + 25600 + 500 = 46100Gi (45.02Ti) usable;
    // 24000 + 36000 + 38400 + 1500 = 99900Gi (97.56Ti) raw
    assertTrue(
        lines.contains(
            "total                      (all)   195            45.02Ti"
                + "                                                 97.56Ti"),
        run.out());
  }

  @Test
  void csvAndYamlDemandsPrintTheSamePlan() {
    KmetalRun yaml = plan(EXAMPLE.resolve("demand.yaml"), "-o", "json");
    KmetalRun csv = plan(EXAMPLE.resolve("demand.csv"), "-o", "json");

    assertEquals(0, csv.exit(), csv.err());
    assertEquals(yaml.out(), csv.out());
    assertTrue(yaml.out().contains("\"rawBytes\" : 107266808217600"), yaml.out()); // 99900Gi
  }

  @Test
  void badDemandPrintsOnlyTheProblemsAndExitsOne() throws Exception {
    Path bad = write("demand.csv", "tier,vms,averageSize\nplatinum,0,1Gi\n");
    KmetalRun run = plan(bad);

    assertEquals(1, run.exit());
    assertEquals("", run.out());
    assertTrue(
        run.err().startsWith("error: " + bad + ": 2 problems; nothing was planned:\n"), run.err());
    assertTrue(run.err().contains("  - line 2, tier: \"platinum\" is not a tier of "), run.err());
    assertTrue(run.err().contains("  - line 2, vms: 0 is out of range"), run.err());
  }

  @Test
  void aTierWithoutProtectionIsNamedWithTheFix() throws Exception {
    KmetalRun run =
        plan(write("demand.yaml", "demand: [{tier: local-path, vms: 1, averageSize: 1Gi}]\n"));

    assertEquals(1, run.exit());
    assertEquals("", run.out());
    assertTrue(
        run.err()
            .contains(
                "  - demand[0].tier: tier local-path (storageTiers[0] of "
                    + FLEET
                    + ") declares no protection, so its raw capacity is unknown: add protection to"
                    + " that tier, e.g. protection: {replicas: 1} (a local-path volume is one"
                    + " copy)"),
        run.err());
  }

  @Test
  void anInvalidFleetIsReportedAndNothingPlanned() throws Exception {
    Path fleet = write("fleet.yaml", "storageTiers:\n  - name: Gold\n");
    KmetalRun run =
        KmetalRun.of(
            "plan", "-f", fleet.toString(), "--demand", EXAMPLE.resolve("demand.yaml").toString());

    assertEquals(1, run.exit());
    assertEquals("", run.out());
    assertTrue(run.err().contains("nothing was planned:\n  - storageTiers[0].name: "), run.err());
  }

  @Test
  void aDemandFileOfUnknownFormatOrMissingIsRefused() throws Exception {
    Path txt = write("demand.txt", "gold 1 1Gi\n");
    KmetalRun unknown = plan(txt);
    assertEquals(1, unknown.exit());
    assertTrue(
        unknown.err().contains("(file): has no known extension: name it .yaml or .yml"),
        unknown.err());

    KmetalRun missing = plan(txt.resolveSibling("nope.yaml"));
    assertEquals(1, missing.exit());
    assertEquals(
        "error: demand file " + txt.resolveSibling("nope.yaml") + " does not exist\n",
        missing.err());
  }

  @Test
  void anUnknownOutputFormatIsAUsageError() {
    assertEquals(2, plan(EXAMPLE.resolve("demand.yaml"), "-o", "xml").exit());
  }
}

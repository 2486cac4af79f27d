package io.kmetal.storage.cli.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.validation.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Demand files in both formats: the same plan, and every problem named by entry and field. */
class DemandRulesTest {
  static final List<StorageTierSpec> TIERS =
      List.of(
          StorageTierSpec.builder()
              .name("gold")
              .storageClassName("ocs-gold-nvme")
              .backend(PlannerTest.tier("gold", null).backend())
              .protection(PlannerTest.replicas(3, "nvme"))
              .build(),
          PlannerTest.tier("bronze", PlannerTest.ec(4, 2, "hdd")),
          PlannerTest.tier("bare", null),
          StorageTierSpec.builder()
              .name("local")
              .role("platform")
              .backend(
                  Backend.localPath(
                      new LocalPathBackend(
                          List.of(new NodePaths("c1", List.of("/data"))), null, null)))
              .build());

  static final String YAML =
      "demand:\n"
          + "  - tier: gold\n"
          + "    vms: 40\n"
          + "    averageSize: 200Gi\n"
          + "  - {tier: bronze, vms: \"10\", averageSize: 100Gi}\n";
  static final String CSV =
      "# comment\ntier, vms, averageSize\n\nocs-gold-nvme,40,200Gi\nbronze,10,100Gi\n";

  static List<Demand> fromYaml(String yaml) {
    return DemandRules.resolve(DemandReader.yaml(yaml, "demand.yaml"), TIERS, "fleet.yaml");
  }

  static List<Demand> fromCsv(String csv) {
    return DemandRules.resolve(DemandReader.csv(csv, "demand.csv"), TIERS, "fleet.yaml");
  }

  static List<Problem> yamlProblems(String yaml) {
    return assertThrows(InvalidInputException.class, () -> fromYaml(yaml)).problems();
  }

  static List<Problem> csvProblems(String csv) {
    return assertThrows(InvalidInputException.class, () -> fromCsv(csv)).problems();
  }

  @Test
  void yamlAndCsvGiveTheSamePlan() {
    List<Demand> yaml = fromYaml(YAML);
    List<Demand> csv = fromCsv(CSV);

    assertEquals(
        List.of(
            Demand.perVm("gold", 40, PlannerTest.gi(200)),
            Demand.perVm("bronze", 10, PlannerTest.gi(100))),
        yaml);
    assertEquals(yaml, csv);
    assertEquals(Planner.plan(TIERS, yaml), Planner.plan(TIERS, csv));
  }

  @Test
  void csvColumnsMayComeInAnyOrder() {
    assertEquals(
        List.of(Demand.perVm("gold", 2, PlannerTest.gi(1))),
        fromCsv("averageSize,tier,vms\n1Gi,gold,2\n"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown tier        | {tier: platinum, vms: 1, averageSize: 1Gi} | demand[0].tier | "platinum" is not a tier of fleet.yaml; use a tier's name or storageClassName: gold (ocs-gold-nvme), bronze, bare, local
          tier without protection | {tier: bare, vms: 1, averageSize: 1Gi} | demand[0].tier | tier bare (storageTiers[2] of fleet.yaml) declares no protection, so its raw capacity is unknown: add protection to that tier, e.g. protection: {replicas: 3, deviceClass: ssd}
          local-path without protection | {tier: local, vms: 1, averageSize: 1Gi} | demand[0].tier | tier local (storageTiers[3] of fleet.yaml) declares no protection, so its raw capacity is unknown: add protection to that tier, e.g. protection: {replicas: 1} (a local-path volume is one copy)
          no tier             | {vms: 1, averageSize: 1Gi}                 | demand[0].tier | is required
          zero VMs            | {tier: gold, vms: 0, averageSize: 1Gi}     | demand[0].vms  | 0 is out of range; use a whole number of at least 1
          negative VMs        | {tier: gold, vms: -3, averageSize: 1Gi}    | demand[0].vms  | -3 is out of range; use a whole number of at least 1
          fractional VMs      | {tier: gold, vms: 2.5, averageSize: 1Gi}   | demand[0].vms  | "2.5" is not a whole number
          VMs as a list       | {tier: gold, vms: [1], averageSize: 1Gi}   | demand[0].vms  | must be a single value, not a list
          no size             | {tier: gold, vms: 1}                       | demand[0].averageSize | is required
          decimal unit        | {tier: gold, vms: 1, averageSize: 200GB}   | demand[0].averageSize | "200GB" is not a Kubernetes quantity: write a number with a binary suffix, e.g. 200Gi or 1.5Ti (Gi = 2^30 bytes; G = 10^9)
          zero size           | {tier: gold, vms: 1, averageSize: 0Gi}     | demand[0].averageSize | "0Gi" must be greater than zero
          negative size       | {tier: gold, vms: 1, averageSize: -1Gi}    | demand[0].averageSize | "-1Gi" must be greater than zero
          part of a byte      | {tier: gold, vms: 1, averageSize: 1500m}   | demand[0].averageSize | "1500m" is not a whole number of bytes (1.5)
          unknown field       | {tier: gold, vms: 1, averageSize: 1Gi, size: 2Gi} | demand[0].size | unknown field; known fields here: tier, vms, averageSize
          """)
  void eachYamlProblemNamesItsEntryAndField(
      String name, String entry, String field, String message) {
    assertEquals(
        List.of(new Problem(field, message)), yamlProblems("demand:\n  - " + entry + "\n"));
  }

  @Test
  void aTierListedTwiceIsRefusedEvenUnderItsClassName() {
    assertEquals(
        List.of(
            new Problem(
                "line 3, tier",
                "tier gold is already planned by line 2; give one entry per tier (add the VMs up,"
                    + " average the sizes)")),
        csvProblems("tier,vms,averageSize\ngold,1,1Gi\nocs-gold-nvme,2,1Gi\n"));
  }

  @Test
  void csvProblemsNameTheLineAndEveryProblemIsListedInFileOrder() {
    List<Problem> problems =
        csvProblems("tier,vms,averageSize\n\nplatinum,x,1Gi\ngold,1,2,3\nbronze,,1Gi\n");
    assertEquals(
        List.of(
            new Problem(
                "line 3, tier",
                "\"platinum\" is not a tier of fleet.yaml; use a tier's name or storageClassName:"
                    + " gold (ocs-gold-nvme), bronze, bare, local"),
            new Problem("line 3, vms", "\"x\" is not a whole number"),
            new Problem("line 4", "has 4 values; give 3 (tier,vms,averageSize)"),
            new Problem("line 5, vms", "is required")),
        problems);
  }

  @Test
  void aCsvHeaderMustNameTheThreeColumns() {
    assertEquals(
        List.of(
            new Problem(
                "line 1",
                "the header is \"tier,count,averageSize\"; it must name the columns tier, vms and"
                    + " averageSize once each, e.g. tier,vms,averageSize")),
        csvProblems("tier,count,averageSize\ngold,1,1Gi\n"));
  }

  @Test
  void emptyFilesSayWhatToWrite() {
    assertEquals(
        List.of(
            new Problem(
                "(file)", "is empty: give demand: [{tier: gold, vms: 40, averageSize: 200Gi}]")),
        yamlProblems("# nothing\n"));
    assertEquals(
        List.of(
            new Problem(
                "(file)", "is empty: give the header tier,vms,averageSize and one line per tier")),
        csvProblems("# nothing\n"));
    assertEquals(
        List.of(
            new Problem(
                "(file)",
                "lists no demand: give demand: [{tier: gold, vms: 40, averageSize: 200Gi}]")),
        yamlProblems("demand: []\n"));
  }

  @Test
  void malformedYamlNamesTheLine() {
    Problem p = yamlProblems("demand:\n  - tier: gold\n   vms: 1\n").get(0);
    assertEquals("(file)", p.field());
    assertEquals(true, p.message().startsWith("is not valid YAML (line 3"), p.message());
  }

  @Test
  void theDemandListIsRequired() {
    assertEquals(
        List.of(
            new Problem("demnd", "unknown field; known fields here: demand"),
            new Problem(
                "demand", "is required: give demand: [{tier: gold, vms: 40, averageSize: 200Gi}]")),
        yamlProblems("demnd: []\n"));
  }
}

package io.kmetal.storage.cli.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table for people (binary units, factors) and the JSON for programs (exact bytes). */
class PlanPrintersTest {
  private static final Plan PLAN =
      Planner.plan(
          List.of(
              PlannerTest.tier("gold", PlannerTest.replicas(3, "nvme")),
              PlannerTest.tier("bronze", PlannerTest.ec(3, 1, "hdd"))),
          List.of(
              Demand.perVm("gold", 40, PlannerTest.gi(200)),
              Demand.perVm("bronze", 3, PlannerTest.gi(1024))));

  @Test
  void theTableShowsBinaryUnitsFactorsAndTotalsPerDeviceClass() {
    // gold: 8000Gi = 7.8125Ti (7.81Ti), ×3 = 24000Gi = 23.4375Ti (23.44Ti); bronze: 3Ti × 4/3 =
    // 4Ti, its factor does not terminate and stays a fraction; all: 11072Gi = 10.8125Ti usable,
    // 28096Gi = 27.4375Ti raw
    assertEquals(
        """
        TIER    CLASS   DEVICE  VMS  AVG SIZE   USABLE  PROTECTION  OVERHEAD  COMPRESSION  RAW/USABLE      RAW
        gold    gold    nvme     40     200Gi   7.81Ti  replicas 3        ×3            1          ×3  23.44Ti
        bronze  bronze  hdd       3       1Ti      3Ti  EC 3+1          ×4/3            1        ×4/3      4Ti
        total           hdd       3                3Ti                                                     4Ti
        total           nvme     40             7.81Ti                                                 23.44Ti
        total           (all)    43            10.81Ti                                                 27.44Ti
        raw = usable × overhead ÷ compression, rounded up to whole bytes per tier; totals add the rounded tiers.
        Sizes in binary units (Gi = 2^30 bytes) rounded to 2 decimals; -o json gives exact bytes.
        """,
        PlanTable.render(PLAN));
  }

  @Test
  void humanSizesUseTheLargestBinaryUnitWithTwoDecimals() {
    assertEquals("512", Bytes.human(BigInteger.valueOf(512)));
    assertEquals("1Ki", Bytes.human(BigInteger.valueOf(1024)));
    assertEquals("1.5Gi", Bytes.human(PlannerTest.gi(3).divide(BigInteger.TWO)));
    assertEquals("200Gi", Bytes.human(PlannerTest.gi(200)));
    assertEquals("7.81Ti", Bytes.human(PlannerTest.gi(8000)));
    assertEquals("1024Ei", Bytes.human(BigInteger.TWO.pow(70)));
  }

  @Test
  void theJsonGivesExactBytesAndEveryFactorAsAFraction() throws Exception {
    JsonNode json = new ObjectMapper().readTree(PlanJson.render(PLAN));

    JsonNode gold = json.get("tiers").get(0);
    assertEquals(8589934592000L, gold.get("usableBytes").asLong());
    assertEquals(25769803776000L, gold.get("rawBytes").asLong());
    assertEquals(214748364800L, gold.get("averageSizeBytes").asLong());
    assertEquals(3, gold.get("protection").get("replicas").asInt());
    assertEquals("3", gold.get("rawPerUsable").get("fraction").asText());
    JsonNode bronze = json.get("tiers").get(1);
    assertEquals(3, bronze.get("protection").get("erasureCoding").get("dataChunks").asInt());
    assertEquals("4/3", bronze.get("protectionOverhead").get("fraction").asText());
    assertEquals("1.333333", bronze.get("protectionOverhead").get("decimal").asText());
    assertEquals(4398046511104L, bronze.get("rawBytes").asLong());
    assertEquals(43, json.get("totals").get("vms").asInt());
    assertEquals(25769803776000L + 4398046511104L, json.get("totals").get("rawBytes").asLong());
    assertEquals(
        4398046511104L, json.get("totalsByDeviceClass").get("hdd").get("rawBytes").asLong());
    assertTrue(json.get("rounding").asText().contains("rounded up to a whole byte"));
  }
}

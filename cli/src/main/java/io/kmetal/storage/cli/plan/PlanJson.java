package io.kmetal.storage.cli.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A plan as JSON for programs: exact byte counts (integers) and every factor as an exact fraction
 * with its decimal value.
 */
public final class PlanJson {
  static final String ROUNDING =
      "rawBytes = usableBytes × rawPerUsable rounded up to a whole byte, per tier; totals add the"
          + " rounded tier values; fraction is exact, decimal rounded half up to 6 places";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PlanJson() {}

  public static String render(Plan plan) {
    ObjectNode root = NODES.objectNode();
    var tiers = root.putArray("tiers");
    for (TierPlan p : plan.tiers()) {
      ObjectNode t = tiers.addObject();
      t.put("tier", p.tier());
      t.put("storageClassName", p.storageClassName());
      if (p.deviceClass() == null) t.putNull("deviceClass");
      else t.put("deviceClass", p.deviceClass());
      t.put("vms", p.vms());
      t.put("averageSizeBytes", p.averageSize());
      t.put("usableBytes", p.usable());
      ObjectNode protection = t.putObject("protection");
      if (p.protection().replicas() != null) {
        protection.put("replicas", p.protection().replicas());
      } else {
        ObjectNode ec = protection.putObject("erasureCoding");
        ec.put("dataChunks", p.protection().erasureCoding().dataChunks());
        ec.put("codingChunks", p.protection().erasureCoding().codingChunks());
      }
      t.set("protectionOverhead", ratio(p.protectionOverhead()));
      t.put("compressionRatio", p.compressionRatio());
      t.set("rawPerUsable", ratio(p.rawPerUsable()));
      t.put("rawBytes", p.raw());
    }
    root.set("totals", totals(plan.total()));
    ObjectNode byDevice = root.putObject("totalsByDeviceClass");
    plan.byDeviceClass().forEach((device, totals) -> byDevice.set(device, totals(totals)));
    root.put("rounding", ROUNDING);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static ObjectNode ratio(Ratio r) {
    ObjectNode n = NODES.objectNode();
    n.put("fraction", r.toString());
    n.put("decimal", r.decimal(6));
    return n;
  }

  private static ObjectNode totals(Totals t) {
    ObjectNode n = NODES.objectNode();
    n.put("vms", t.vms());
    n.put("usableBytes", t.usable());
    n.put("rawBytes", t.raw());
    return n;
  }
}

package io.kmetal.storage.cli.plan;

import java.math.BigDecimal;
import java.util.Map;

/** A plan as a table for people: sizes in binary units, factors as decimals or fractions. */
public final class PlanTable {
  private PlanTable() {}

  public static String render(Plan plan) {
    TextTable t =
        new TextTable(
            "TIER",
            "CLASS",
            "DEVICE",
            ">VMS",
            ">AVG SIZE",
            ">USABLE",
            "PROTECTION",
            ">OVERHEAD",
            ">COMPRESSION",
            ">RAW/USABLE",
            ">RAW");
    for (TierPlan p : plan.tiers()) {
      t.row(
          p.tier(),
          p.storageClassName(),
          p.deviceClass() == null ? "-" : p.deviceClass(),
          Long.toString(p.vms()),
          Bytes.human(p.averageSize()),
          Bytes.human(p.usable()),
          p.layout(),
          factor(p.protectionOverhead()),
          plain(p.compressionRatio()),
          factor(p.rawPerUsable()),
          Bytes.human(p.raw()));
    }
    if (plan.byDeviceClass().size() > 1) {
      for (Map.Entry<String, Totals> e : plan.byDeviceClass().entrySet()) {
        total(t, e.getKey(), e.getValue());
      }
    }
    total(t, "(all)", plan.total());
    return t.render()
        + "raw = usable × overhead ÷ compression, rounded up to whole bytes per tier; totals add"
        + " the rounded tiers.\n"
        + "Sizes in binary units (Gi = 2^30 bytes) rounded to 2 decimals; -o json gives exact"
        + " bytes.\n";
  }

  private static void total(TextTable t, String device, Totals totals) {
    t.row(
        "total",
        "",
        device,
        Long.toString(totals.vms()),
        "",
        Bytes.human(totals.usable()),
        "",
        "",
        "",
        "",
        Bytes.human(totals.raw()));
  }

  /** ×3, ×1.375, or the exact fraction (×4/3) when three decimals would round. */
  static String factor(Ratio r) {
    return "×" + (r.isExactAt(3) ? r.decimal(3).toPlainString() : r.toString());
  }

  private static String plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}

package io.kmetal.storage.cli.plan;

import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.StorageTierSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usable to raw capacity, exactly: {@code raw = usable × overhead / compressionRatio}, where the
 * overhead is N for N replicas and (k+m)/k for an erasure-code profile of k data and m coding
 * chunks. Fractions stay exact ({@link Ratio}); each tier's raw bytes are rounded up once, and the
 * totals add those rounded values.
 */
public final class Planner {
  private Planner() {}

  /**
   * The plan of {@code demands}, each naming a tier of {@code tiers} that declares {@code
   * protection} (the demand readers check both; here a violation is a programming error).
   */
  public static Plan plan(List<StorageTierSpec> tiers, List<Demand> demands) {
    Map<String, StorageTierSpec> byName = new LinkedHashMap<>();
    tiers.forEach(t -> byName.putIfAbsent(t.name(), t));
    List<TierPlan> lines = new ArrayList<>();
    Totals total = Totals.ZERO;
    TreeMap<String, Totals> byDevice = new TreeMap<>();
    for (Demand d : demands) {
      StorageTierSpec tier = byName.get(d.tier());
      if (tier == null) throw new IllegalArgumentException("no tier named " + d.tier());
      TierPlan line = tier(tier, d);
      lines.add(line);
      total = total.plus(line);
      String device = line.deviceClass() == null ? Plan.UNSPECIFIED : line.deviceClass();
      byDevice.merge(device, Totals.ZERO.plus(line), (a, b) -> a.plus(line));
    }
    return new Plan(lines, total, byDevice);
  }

  /** One tier's line. */
  public static TierPlan tier(StorageTierSpec tier, Demand demand) {
    DataProtectionSpec p = tier.protection();
    if (p == null) throw new IllegalArgumentException("tier " + tier.name() + " has no protection");
    Ratio overhead = overhead(p);
    BigDecimal compression = compression(p);
    Ratio rawPerUsable = overhead.dividedBy(Ratio.of(compression));
    return new TierPlan(
        tier.name(),
        tier.storageClassName(),
        p.deviceClass(),
        demand.vms(),
        demand.averageSize(),
        demand.usable(),
        p,
        overhead,
        compression,
        rawPerUsable,
        rawPerUsable.timesRoundedUp(demand.usable()));
  }

  /** Raw bytes per usable byte of the layout, before compression. */
  public static Ratio overhead(DataProtectionSpec p) {
    if (p.replicas() != null && p.erasureCoding() == null) return Ratio.of(p.replicas(), 1);
    if (p.erasureCoding() != null && p.replicas() == null) {
      int k = p.erasureCoding().dataChunks();
      int m = p.erasureCoding().codingChunks();
      return Ratio.of(k + m, k);
    }
    throw new IllegalArgumentException("protection needs exactly one of replicas, erasureCoding");
  }

  /** The declared ratio as the decimal it was written as (1.5, not 1.5000000000000002). */
  static BigDecimal compression(DataProtectionSpec p) {
    double r = p.compressionRatio();
    if (!Double.isFinite(r) || r < 1.0) {
      throw new IllegalArgumentException("compressionRatio must be finite and >= 1, not " + r);
    }
    return BigDecimal.valueOf(r);
  }
}

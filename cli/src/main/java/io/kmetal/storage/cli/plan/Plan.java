package io.kmetal.storage.cli.plan;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A capacity plan: one line per demanded tier (in the demand's order), the totals, and the totals
 * per device class (sorted; tiers that declare none under {@link #UNSPECIFIED}).
 */
public record Plan(List<TierPlan> tiers, Totals total, SortedMap<String, Totals> byDeviceClass) {
  public static final String UNSPECIFIED = "unspecified";

  public Plan {
    tiers = List.copyOf(tiers);
    Objects.requireNonNull(total, "total");
    byDeviceClass = Collections.unmodifiableSortedMap(new TreeMap<>(byDeviceClass));
  }
}

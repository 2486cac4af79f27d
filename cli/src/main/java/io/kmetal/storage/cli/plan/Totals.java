package io.kmetal.storage.cli.plan;

import java.math.BigInteger;
import java.util.Objects;

/** VMs, usable and raw bytes added up (raw adds the tiers' rounded values). */
public record Totals(long vms, BigInteger usable, BigInteger raw) {
  public static final Totals ZERO = new Totals(0, BigInteger.ZERO, BigInteger.ZERO);

  public Totals {
    Objects.requireNonNull(usable, "usable");
    Objects.requireNonNull(raw, "raw");
  }

  public Totals plus(TierPlan t) {
    return new Totals(vms + t.vms(), usable.add(t.usable()), raw.add(t.raw()));
  }
}

package io.kmetal.storage.cli.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What a team expects of one tier: {@code vms} VMs whose disks hold {@code usable} bytes together
 * (before the pool's protection overhead).
 *
 * @param tier the tier's {@code name}
 */
public record Demand(String tier, long vms, BigInteger usable) {
  public Demand {
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(usable, "usable");
    if (vms < 1) throw new IllegalArgumentException("vms must be at least 1, not " + vms);
    if (usable.signum() <= 0) throw new IllegalArgumentException("usable must be > 0");
  }

  /** {@code vms} VMs of {@code averageSize} bytes each (a demand file's entry). */
  public static Demand perVm(String tier, long vms, BigInteger averageSize) {
    return new Demand(tier, vms, averageSize.multiply(BigInteger.valueOf(vms)));
  }

  /** {@code vms} VMs holding {@code capacity} bytes together (an SPBM policy's inventory). */
  public static Demand total(String tier, long vms, BigInteger capacity) {
    return new Demand(tier, vms, capacity);
  }

  /** {@code usable / vms}, exact for a per-VM demand, else rounded half up to whole bytes. */
  public BigInteger averageSize() {
    return new BigDecimal(usable)
        .divide(BigDecimal.valueOf(vms), 0, RoundingMode.HALF_UP)
        .toBigIntegerExact();
  }
}

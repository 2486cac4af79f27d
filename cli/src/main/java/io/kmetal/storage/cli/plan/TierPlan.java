package io.kmetal.storage.cli.plan;

import io.kmetal.storage.model.DataProtectionSpec;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * One tier's line of a plan.
 *
 * @param protectionOverhead raw bytes per usable byte of the layout: N for N replicas, (k+m)/k for
 *     erasure coding
 * @param rawPerUsable {@code protectionOverhead / compressionRatio}
 * @param raw {@code usable × rawPerUsable}, rounded up to a whole byte
 */
public record TierPlan(
    String tier,
    String storageClassName,
    String deviceClass,
    long vms,
    BigInteger averageSize,
    BigInteger usable,
    DataProtectionSpec protection,
    Ratio protectionOverhead,
    BigDecimal compressionRatio,
    Ratio rawPerUsable,
    BigInteger raw) {

  /** {@code replicas 3} or {@code EC 8+3}. */
  public String layout() {
    if (protection.replicas() != null) return "replicas " + protection.replicas();
    return "EC "
        + protection.erasureCoding().dataChunks()
        + "+"
        + protection.erasureCoding().codingChunks();
  }
}

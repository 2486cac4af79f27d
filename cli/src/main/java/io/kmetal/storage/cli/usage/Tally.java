package io.kmetal.storage.cli.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One quantity of a tenant's quota: its hard limit, what the under cluster's claims hold ({@code
 * used}) and what the webhook admitted that is not provisioned yet ({@code pending}).
 *
 * @param hard null when the quota sets no limit
 */
@JsonPropertyOrder({"hard", "used", "pending", "free", "percent", "overCommitted"})
public record Tally(Long hard, long used, long pending) {
  /** What is left for new claims: never below 0 (see {@link #overCommitted}); null: no limit. */
  @JsonProperty
  public Long free() {
    return hard == null ? null : Math.max(0, hard - used - pending);
  }

  /**
   * Used and pending together, in percent of hard, one decimal; null without a (non-zero) limit.
   */
  @JsonProperty
  public BigDecimal percent() {
    if (hard == null || hard == 0) return null;
    return BigDecimal.valueOf(used + pending)
        .multiply(BigDecimal.valueOf(100))
        .divide(BigDecimal.valueOf(hard), 1, RoundingMode.HALF_UP);
  }

  /** Whether used and pending exceed hard (the quota was lowered below what the tenant holds). */
  @JsonProperty
  public boolean overCommitted() {
    return hard != null && used + pending > hard;
  }

  /** By how much used and pending exceed hard; 0 when they do not. */
  public long excess() {
    return hard == null ? 0 : Math.max(0, used + pending - hard);
  }
}

package io.kmetal.storage.cli.usage;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A claim behind a tenant's usage: an under-cluster claim of the quota's class (counted as used,
 * whatever its phase, as the quota counts it), or a webhook admission not yet provisioned (counted
 * as pending, by what its under claim does not hold yet).
 *
 * @param cluster the tenant cluster; null when no tenant cluster's labels mark the claim
 * @param name the under-cluster claim ({@code pvc-<tenant claim uid>}), existing or to come
 * @param tenantClaim {@code namespace/name} in the tenant cluster, when the webhook's ledger names
 *     it; null otherwise
 * @param bytes what this claim adds to {@code counted}
 * @param phase the under claim's phase; null for a pending admission
 */
public record Claim(
    String cluster, String name, String tenantClaim, Counted counted, long bytes, String phase) {
  /** Which part of the usage a claim adds to. */
  public enum Counted {
    USED,
    PENDING;

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}

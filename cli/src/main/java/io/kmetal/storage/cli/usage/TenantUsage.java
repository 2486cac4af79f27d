package io.kmetal.storage.cli.usage;

import java.util.List;

/**
 * A tenant's storage usage: the quota's class, its bytes and claim count, each tenant cluster's
 * share and the claims behind them. Nine fields and no builder: {@link Usages#of} is its one maker.
 *
 * @param quotaStatus what the quota's status last counted as used; null until the quota controller
 *     filled it (used is counted from the claims, as the webhook counts it)
 */
public record TenantUsage(
    String tenant,
    String namespace,
    String quota,
    String storageClass,
    Tally bytes,
    Tally volumes,
    Amount quotaStatus,
    List<ClusterUsage> clusters,
    List<Claim> claims) {
  public TenantUsage {
    clusters = List.copyOf(clusters);
    claims = List.copyOf(claims);
  }

  /** Whether the quota's status disagrees with the claims (or is not there yet). */
  public boolean statusLags() {
    return quotaStatus == null
        || quotaStatus.bytes() != bytes.used()
        || (volumes.hard() != null && quotaStatus.volumes() != volumes.used());
  }
}

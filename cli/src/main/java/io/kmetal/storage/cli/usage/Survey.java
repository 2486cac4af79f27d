package io.kmetal.storage.cli.usage;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Reads the tenants asked about through the port and counts each with {@link Usages}. */
public final class Survey {
  private Survey() {}

  /**
   * Every tenant's usage, or only {@code tenant}'s when it is not null.
   *
   * @throws UnknownTenant when no quota belongs to {@code tenant}
   */
  public static UsageReport take(UnderNamespaces under, String tenant, Instant now)
      throws UnknownTenant {
    List<Quota> quotas =
        under.quotas().stream()
            .sorted(Comparator.comparing(Quota::tenant).thenComparing(Quota::namespace))
            .toList();
    List<Quota> asked =
        tenant == null ? quotas : quotas.stream().filter(q -> q.tenant().equals(tenant)).toList();
    if (asked.isEmpty() && tenant != null)
      throw new UnknownTenant(tenant, quotas.stream().map(Quota::tenant).distinct().toList());
    return new UsageReport(
        asked.stream().map(q -> Usages.of(q, under.read(q.namespace()), now)).toList());
  }

  /** No tenant storage quota of that name in the under cluster. */
  public static final class UnknownTenant extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownTenant(String tenant, List<String> known) {
      super(
          "no tenant \""
              + tenant
              + "\" in the under cluster "
              + (known.isEmpty() ? "(it has none)" : "(tenants: " + String.join(", ", known) + ")")
              + ": no ResourceQuota labelled "
              + KubeNamespaces.QUOTA_SELECTOR_TEXT
              + " has app.kubernetes.io/instance="
              + tenant,
          null,
          false,
          false);
    }
  }
}

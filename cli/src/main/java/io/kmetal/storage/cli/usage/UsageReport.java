package io.kmetal.storage.cli.usage;

import java.util.List;

/** {@code kmetal usage}'s answer: every tenant asked about, by name. */
public record UsageReport(List<TenantUsage> tenants) {
  public UsageReport {
    tenants = List.copyOf(tenants);
  }
}

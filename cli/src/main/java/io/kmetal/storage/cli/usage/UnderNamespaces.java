package io.kmetal.storage.cli.usage;

import java.util.List;

/** The under cluster's tenant namespaces, as {@code kmetal usage} reads them. */
public interface UnderNamespaces {
  /** Every tenant's storage quota, found by the labels the renderer gives it. */
  List<Quota> quotas();

  /** The claims, the tenant clusters and the webhook's ledger in {@code namespace}. */
  TenantNamespace read(String namespace);
}

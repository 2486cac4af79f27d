package io.kmetal.storage.cli.usage;

import java.util.List;
import java.util.Map;

/**
 * A tenant's under-cluster namespace as the report reads it.
 *
 * @param claims every PersistentVolumeClaim there, of any class
 * @param clusters each tenant cluster's labels, from its CSI controller's configuration ({@code
 *     infraClusterLabels}): the labels the driver puts on that cluster's DataVolumes
 * @param ledger the webhook's claim reservations
 */
public record TenantNamespace(
    List<UnderClaim> claims, Map<String, Map<String, String>> clusters, List<Reservation> ledger) {
  public TenantNamespace {
    claims = List.copyOf(claims);
    clusters = Map.copyOf(clusters);
    ledger = List.copyOf(ledger);
  }
}

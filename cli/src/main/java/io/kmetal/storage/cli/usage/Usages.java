package io.kmetal.storage.cli.usage;

import io.kmetal.storage.model.TenantClusterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tenant's usage, counted as the quota webhook counts it: used is what the under cluster's claims
 * of the quota's class request (from the claims, not the quota's status, which can count a claim
 * not yet visible in the list and so count it twice with its admission); pending is what each live
 * admission in the ledger needs beyond what its under claim {@code pvc-<uid>} already holds, and
 * one claim while that under claim does not exist. An admission whose claim exists in full adds
 * nothing: its claim is counted once, as used.
 */
public final class Usages {
  private Usages() {}

  public static TenantUsage of(Quota quota, TenantNamespace ns, Instant now) {
    Map<String, UnderClaim> byName = new HashMap<>();
    ns.claims().forEach(c -> byName.put(c.name(), c));
    Map<String, Reservation> byUnderClaim = new HashMap<>();
    ns.ledger().forEach(r -> byUnderClaim.put(r.underClaim(), r));

    List<Claim> claims = new ArrayList<>();
    for (UnderClaim c : ns.claims()) {
      if (!c.storageClass().equals(quota.storageClass())) continue;
      Reservation r = byUnderClaim.get(c.name());
      claims.add(
          new Claim(
              clusterOf(c, ns.clusters()),
              c.name(),
              r == null ? null : r.claim(),
              Claim.Counted.USED,
              c.bytes(),
              c.phase()));
    }
    Amount pendingTotal = Amount.NONE;
    Map<String, Amount> pendingByCluster = new HashMap<>();
    for (Reservation r : ns.ledger()) {
      if (!now.isBefore(r.expires())) continue; // expired: the webhook no longer counts it
      UnderClaim under = byName.get(r.underClaim());
      Amount pending =
          new Amount(
              Math.max(0, r.bytes() - (under == null ? 0 : under.bytes())), under == null ? 1 : 0);
      if (pending.equals(Amount.NONE)) continue; // provisioned in full: counted as used
      pendingTotal = pendingTotal.plus(pending);
      pendingByCluster.merge(r.cluster(), pending, Amount::plus);
      claims.add(
          new Claim(
              r.cluster(),
              r.underClaim(),
              r.claim(),
              Claim.Counted.PENDING,
              pending.bytes(),
              null));
    }
    claims.sort(
        Comparator.comparing(Claim::cluster, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Claim::counted)
            .thenComparing(Claim::name));

    Amount usedTotal = Amount.NONE;
    Map<String, Amount> usedByCluster = new HashMap<>();
    for (Claim c : claims)
      if (c.counted() == Claim.Counted.USED) {
        Amount one = new Amount(c.bytes(), 1);
        usedTotal = usedTotal.plus(one);
        usedByCluster.merge(key(c.cluster()), one, Amount::plus);
      }

    return new TenantUsage(
        quota.tenant(),
        quota.namespace(),
        quota.name(),
        quota.storageClass(),
        new Tally(quota.hardBytes(), usedTotal.bytes(), pendingTotal.bytes()),
        new Tally(quota.hardVolumes(), usedTotal.volumes(), pendingTotal.volumes()),
        quota.statusUsed(),
        clusters(ns.clusters().keySet(), usedByCluster, pendingByCluster),
        claims);
  }

  /** Null keys are not allowed in the maps below: the unmarked claims go under "". */
  private static String key(String cluster) {
    return cluster == null ? "" : cluster;
  }

  /**
   * A row per tenant cluster the namespace configures (even one holding nothing) and per cluster
   * the claims and the ledger name, by name; the claims no cluster marks last.
   */
  private static List<ClusterUsage> clusters(
      Iterable<String> configured, Map<String, Amount> used, Map<String, Amount> pending) {
    Map<String, ClusterUsage> rows = new TreeMap<>();
    configured.forEach(c -> rows.put(c, null));
    used.keySet().forEach(c -> rows.put(c, null));
    pending.keySet().forEach(c -> rows.put(key(c), null));
    List<ClusterUsage> out = new ArrayList<>();
    ClusterUsage unmarked = null;
    for (String c : rows.keySet()) {
      ClusterUsage row =
          new ClusterUsage(
              c.isEmpty() ? null : c,
              used.getOrDefault(c, Amount.NONE),
              pending.getOrDefault(c, Amount.NONE));
      if (c.isEmpty()) unmarked = row;
      else out.add(row);
    }
    if (unmarked != null) out.add(unmarked);
    return out;
  }

  /**
   * The tenant cluster whose driver labels {@code claim} (its configured labels all on the claim,
   * as the driver itself tells its volumes from another cluster's), else the default cluster label
   * on the claim; null when neither.
   */
  static String clusterOf(UnderClaim claim, Map<String, Map<String, String>> clusters) {
    String best = null;
    int most = 0;
    for (var e : new TreeMap<>(clusters).entrySet()) {
      Map<String, String> labels = e.getValue();
      if (labels.size() > most && claim.labels().entrySet().containsAll(labels.entrySet())) {
        best = e.getKey();
        most = labels.size();
      }
    }
    return best != null ? best : claim.labels().get(TenantClusterSpec.CLUSTER_LABEL);
  }
}

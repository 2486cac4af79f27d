package io.kmetal.csi.webhook;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tenant's quota as gauges on the webhook's {@code /metrics}, read when scraped.
 *
 * <ul>
 *   <li>{@code kmetal_webhook_quota_bytes}, {@code _volumes} and {@code _snapshots} by {@code
 *       state}: {@code hard} (-1 when the quota sets none), {@code used} (what the under cluster
 *       holds: the tenant class's claims, the namespace's VolumeSnapshots), {@code pending}
 *       (admitted, not yet provisioned or taken).
 *   <li>{@code kmetal_webhook_cluster_bytes} and {@code _volumes} by {@code cluster} and {@code
 *       state} ({@code used}, {@code pending}): each tenant cluster's share; the quota is the
 *       tenant's, so there is no per-cluster hard limit.
 * </ul>
 */
final class QuotaGauges {
  private QuotaGauges() {}

  static void register(
      PrometheusRegistry registry, String namespace, Supplier<Admission.Standing> standing) {
    tenant(
        registry,
        "kmetal_webhook_quota_bytes",
        "The tenant class's storage quota in bytes: hard, used, pending (admitted, unprovisioned)",
        namespace,
        () -> {
          var s = standing.get();
          return new long[] {s.hardBytes(), s.usedBytes(), s.pendingBytes()};
        });
    tenant(
        registry,
        "kmetal_webhook_quota_volumes",
        "The tenant class's claim count quota: hard, used, pending (admitted, unprovisioned)",
        namespace,
        () -> {
          var s = standing.get();
          return new long[] {s.hardVolumes(), s.usedVolumes(), s.pendingVolumes()};
        });
    tenant(
        registry,
        "kmetal_webhook_quota_snapshots",
        "The tenant's VolumeSnapshot count quota: hard, used, pending (admitted, not yet taken)",
        namespace,
        () -> {
          var s = standing.get();
          return new long[] {s.hardSnapshots(), s.usedSnapshots(), s.pendingSnapshots()};
        });
    cluster(
        registry,
        "kmetal_webhook_cluster_bytes",
        "Each tenant cluster's bytes of the tenant class: used, pending (admitted, unprovisioned)",
        namespace,
        standing,
        c -> new long[] {c.usedBytes(), c.pendingBytes()});
    cluster(
        registry,
        "kmetal_webhook_cluster_volumes",
        "Each tenant cluster's claims of the tenant class: used, pending (admitted, unprovisioned)",
        namespace,
        standing,
        c -> new long[] {c.usedVolumes(), c.pendingVolumes()});
  }

  /** A gauge by {@code state}: the three values are hard, used and pending. */
  private static void tenant(
      PrometheusRegistry registry,
      String name,
      String help,
      String namespace,
      Supplier<long[]> hardUsedPending) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("namespace", "state")
        .callback(
            out -> {
              long[] v = hardUsedPending.get();
              out.call(v[0], namespace, "hard");
              out.call(v[1], namespace, "used");
              out.call(v[2], namespace, "pending");
            })
        .register(registry);
  }

  /** A gauge by {@code cluster} and {@code state}: the two values are used and pending. */
  private static void cluster(
      PrometheusRegistry registry,
      String name,
      String help,
      String namespace,
      Supplier<Admission.Standing> standing,
      Function<Admission.ClusterStanding, long[]> usedPending) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("namespace", "cluster", "state")
        .callback(
            out ->
                standing
                    .get()
                    .clusters()
                    .forEach(
                        (cluster, c) -> {
                          long[] v = usedPending.apply(c);
                          out.call(v[0], namespace, cluster, "used");
                          out.call(v[1], namespace, cluster, "pending");
                        }))
        .register(registry);
  }
}

package io.kmetal.csi.webhook;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The tenant's quota as gauges on the webhook's {@code /metrics}, read when scraped: {@code
 * kmetal_webhook_quota_bytes} and {@code kmetal_webhook_quota_volumes}, each by {@code state}:
 * {@code hard} (-1 when the quota sets none), {@code used} (the under cluster's claims of the
 * tenant class), {@code pending} (admitted, not yet provisioned).
 */
final class QuotaGauges {
  private QuotaGauges() {}

  static void register(
      PrometheusRegistry registry, String namespace, Supplier<Admission.Standing> standing) {
    gauge(
        registry,
        "kmetal_webhook_quota_bytes",
        "The tenant class's storage quota in bytes: hard, used, pending (admitted, unprovisioned)",
        namespace,
        () -> {
          var s = standing.get();
          return new long[] {s.hardBytes(), s.usedBytes(), s.pendingBytes()};
        });
    gauge(
        registry,
        "kmetal_webhook_quota_volumes",
        "The tenant class's claim count quota: hard, used, pending (admitted, unprovisioned)",
        namespace,
        () -> {
          var s = standing.get();
          return new long[] {s.hardVolumes(), s.usedVolumes(), s.pendingVolumes()};
        });
  }

  /** A gauge by {@code state}: the three values are hard, used and pending. */
  private static void gauge(
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
}

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
    GaugeWithCallback.builder()
        .name("kmetal_webhook_quota_bytes")
        .help(
            "The tenant class's storage quota in bytes: hard, used, pending (admitted, unprovisioned)")
        .labelNames("namespace", "state")
        .callback(
            out -> {
              var s = standing.get();
              out.call(s.hardBytes(), namespace, "hard");
              out.call(s.usedBytes(), namespace, "used");
              out.call(s.pendingBytes(), namespace, "pending");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("kmetal_webhook_quota_volumes")
        .help("The tenant class's claim count quota: hard, used, pending (admitted, unprovisioned)")
        .labelNames("namespace", "state")
        .callback(
            out -> {
              var s = standing.get();
              out.call(s.hardVolumes(), namespace, "hard");
              out.call(s.usedVolumes(), namespace, "used");
              out.call(s.pendingVolumes(), namespace, "pending");
            })
        .register(registry);
  }
}

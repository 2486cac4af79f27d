package io.kmetal.csi.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quota as the webhook's /metrics shows it: what the under cluster holds and what is admitted.
 */
class QuotaGaugesTest {
  private static final long GI = 1L << 30;

  @Test
  void hardUsedAndPendingAreTheClassesQuotaClaimsAndUnprovisionedAdmissions() throws Exception {
    Usage usage =
        AdmissionTest.withMaxVolumes(
            AdmissionTest.quota(
                10 * GI,
                0,
                Map.of(
                    "pvc-a", new Usage.UnderClaim("tenant-storage-class", 2 * GI),
                    "pvc-other-class", new Usage.UnderClaim("gold", 5 * GI))),
            50);
    // one admission provisioned already (its claim pvc-a exists), one not yet
    Map<String, Reservation> reservations =
        Map.of(
            "a", new Reservation("prod", "app/a", 2 * GI, Instant.now().plusSeconds(60)),
            "b", new Reservation("prod", "app/b", 3 * GI, Instant.now().plusSeconds(60)));
    var registry = new PrometheusRegistry();
    QuotaGauges.register(
        registry, "alpha", () -> Admission.standing(AdmissionTest.POLICY, usage, reservations));

    String text = scrape(registry);

    assertEquals(10.0 * GI, value(text, "kmetal_webhook_quota_bytes", "hard"));
    assertEquals(2.0 * GI, value(text, "kmetal_webhook_quota_bytes", "used"));
    assertEquals(3.0 * GI, value(text, "kmetal_webhook_quota_bytes", "pending"));
    assertEquals(50.0, value(text, "kmetal_webhook_quota_volumes", "hard"));
    assertEquals(1.0, value(text, "kmetal_webhook_quota_volumes", "used"));
    assertEquals(1.0, value(text, "kmetal_webhook_quota_volumes", "pending"));
  }

  @Test
  void eachTenantClusterShowsItsOwnClaimsAndAdmissions() throws Exception {
    Usage usage =
        AdmissionTest.quota(
            10 * GI,
            0,
            Map.of(
                "pvc-a", new Usage.UnderClaim("tenant-storage-class", 2 * GI, "prod"),
                "pvc-c", new Usage.UnderClaim("tenant-storage-class", 1 * GI, "dev"),
                "pvc-d", new Usage.UnderClaim("tenant-storage-class", 1 * GI, "dev"),
                "pvc-other-class", new Usage.UnderClaim("gold", 5 * GI, "dev")));
    Map<String, Reservation> reservations =
        Map.of(
            "a", new Reservation("prod", "app/a", 2 * GI, Instant.now().plusSeconds(60)),
            "b", new Reservation("prod", "app/b", 3 * GI, Instant.now().plusSeconds(60)),
            "e", new Reservation("staging", "app/e", 4 * GI, Instant.now().plusSeconds(60)));
    var registry = new PrometheusRegistry();
    QuotaGauges.register(
        registry, "alpha", () -> Admission.standing(AdmissionTest.POLICY, usage, reservations));

    String text = scrape(registry);

    assertEquals(2.0 * GI, value(text, "kmetal_webhook_cluster_bytes", "prod", "used"));
    assertEquals(3.0 * GI, value(text, "kmetal_webhook_cluster_bytes", "prod", "pending"));
    assertEquals(2.0 * GI, value(text, "kmetal_webhook_cluster_bytes", "dev", "used"));
    assertEquals(0.0, value(text, "kmetal_webhook_cluster_bytes", "dev", "pending"));
    assertEquals(0.0, value(text, "kmetal_webhook_cluster_bytes", "staging", "used"));
    assertEquals(4.0 * GI, value(text, "kmetal_webhook_cluster_bytes", "staging", "pending"));
    assertEquals(2.0, value(text, "kmetal_webhook_cluster_volumes", "dev", "used"));
    assertEquals(1.0, value(text, "kmetal_webhook_cluster_volumes", "prod", "pending"));
    assertEquals(
        value(text, "kmetal_webhook_quota_bytes", "used"),
        value(text, "kmetal_webhook_cluster_bytes", "prod", "used")
            + value(text, "kmetal_webhook_cluster_bytes", "dev", "used"),
        "the clusters' shares add up to the tenant's");
  }

  @Test
  void snapshotsShowTheirCapTakenAndAdmitted() throws Exception {
    Usage usage = AdmissionTest.snapshots(5, java.util.Set.of("snapshot-1", "snapshot-2"));
    Map<String, Reservation> reservations =
        Map.of(
            "snapshot-2", new Reservation("prod", "app/s2", 0, Instant.now().plusSeconds(60)),
            "snapshot-3", new Reservation("prod", "app/s3", 0, Instant.now().plusSeconds(60)));
    var registry = new PrometheusRegistry();
    QuotaGauges.register(
        registry, "alpha", () -> Admission.standing(AdmissionTest.POLICY, usage, reservations));

    String text = scrape(registry);

    assertEquals(5.0, value(text, "kmetal_webhook_quota_snapshots", "hard"));
    assertEquals(2.0, value(text, "kmetal_webhook_quota_snapshots", "used"));
    assertEquals(1.0, value(text, "kmetal_webhook_quota_snapshots", "pending"));
  }

  private static String scrape(PrometheusRegistry registry) throws Exception {
    var out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static double value(String text, String name, String state) {
    return line(text, name + "{namespace=\"alpha\",state=\"" + state + "\"} ");
  }

  private static double value(String text, String name, String cluster, String state) {
    return line(
        text, name + "{cluster=\"" + cluster + "\",namespace=\"alpha\",state=\"" + state + "\"} ");
  }

  private static double line(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> Double.parseDouble(l.substring(prefix.length()).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + text));
  }
}

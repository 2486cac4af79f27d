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

  private static String scrape(PrometheusRegistry registry) throws Exception {
    var out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static double value(String text, String name, String state) {
    String prefix = name + "{namespace=\"alpha\",state=\"" + state + "\"} ";
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> Double.parseDouble(l.substring(prefix.length()).strip()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + text));
  }
}

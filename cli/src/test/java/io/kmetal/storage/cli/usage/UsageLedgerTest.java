package io.kmetal.storage.cli.usage;

import static io.kmetal.storage.cli.usage.HeldNamespaces.GI;
import static io.kmetal.storage.cli.usage.HeldNamespaces.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmetal.csi.webhook.WebhookLedger;
import io.kmetal.csi.webhook.WebhookLedger.Admitted;
import io.kmetal.csi.webhook.WebhookLedger.Granted;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook's ledger as {@code kmetal usage} reads it, written by the webhook's own code. */
class UsageLedgerTest {
  private static final String UID = "0c9b5a36-4d0e-4e8f-9a51-1d2b3c4d5e6f";

  @Test
  void readsTheClaimsTheWebhookAdmittedAndLeavesItsGrantsOut() {
    Map<String, String> data =
        WebhookLedger.data(
            List.of(
                new Admitted(UID, "alpha-prod", "default/data", 2 * GI, NOW),
                new Admitted("alpha-dev.web.cache", "alpha-dev", "web/cache", GI, NOW)),
            List.of(new Granted("replica-0", 4 * GI, 3, NOW)));

    assertEquals(
        List.of(
            new Reservation(UID, "alpha-prod", "default/data", 2 * GI, NOW),
            new Reservation("alpha-dev.web.cache", "alpha-dev", "web/cache", GI, NOW)),
        Reservation.fromLedger(data).stream()
            .sorted(java.util.Comparator.comparing(Reservation::cluster).reversed())
            .toList());
    assertEquals("pvc-" + UID, Reservation.fromLedger(data).get(0).underClaim());
  }

  @Test
  void snapshotsAndUnreadableEntriesAreLeftOut() {
    Map<String, String> data = new HashMap<>();
    data.put("snapshot-1234", "0 1796558400 alpha-prod default/snap");
    data.put("broken", "lots 1796558400 alpha-prod default/x");
    data.put("short", "1024 1796558400");
    data.put("fine", "1024 1796558400 alpha-prod default/x");

    assertEquals(
        List.of(
            new Reservation(
                "fine",
                "alpha-prod",
                "default/x",
                1024,
                java.time.Instant.ofEpochSecond(1796558400))),
        Reservation.fromLedger(data));
  }

  @Test
  void noLedgerIsNoAdmission() {
    assertEquals(List.of(), Reservation.fromLedger(null));
  }
}

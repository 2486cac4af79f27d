package io.kmetal.csi.webhook;

import io.kmetal.contract.WebhookNames;
import io.kmetal.csi.kube.KubeClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The quota webhook's own ledger writing, for {@code kmetal usage}'s tests: what they read is what
 * the webhook writes, not a copy of its format. In the webhook's package because its ledger types
 * are package-private; test code only.
 */
public final class WebhookLedger {
  private WebhookLedger() {}

  /** A tenant claim the webhook admitted: its key (the uid), cluster, claim and under size. */
  public record Admitted(String key, String cluster, String claim, long bytes, Instant expires) {}

  /** A webhook replica's grant: room it holds in the tenant's quota. */
  public record Granted(String replica, long bytes, long volumes, Instant expires) {}

  /** The ledger ConfigMap's data as the webhook writes it. */
  public static Map<String, String> data(Iterable<Admitted> admitted, Iterable<Granted> granted) {
    return Ledger.data(reservations(admitted), grants(granted));
  }

  /**
   * Stores {@code admitted} as the ledger of {@code namespace} the way a webhook replica does: read
   * through {@link WatchedUnderCluster}, written at the resourceVersion read, with the cluster
   * reached through {@code kubeconfig}.
   */
  public static void write(
      Path kubeconfig,
      String namespace,
      String quota,
      String infraStorageClass,
      Iterable<Admitted> admitted)
      throws IOException {
    Policy policy =
        new Policy(
            namespace, quota, infraStorageClass, Set.of("kubevirt"), 0.055, Duration.ofMinutes(10));
    try (var under =
        new WatchedUnderCluster(KubeClient.of(kubeconfig), policy, WebhookNames.LEDGER)) {
      under.write(under.reload(), reservations(admitted), Map.of());
    } catch (UnderCluster.Conflict e) {
      throw new IllegalStateException("the ledger changed while the test wrote it", e);
    }
  }

  private static Map<String, Reservation> reservations(Iterable<Admitted> admitted) {
    Map<String, Reservation> out = new TreeMap<>();
    for (Admitted a : admitted)
      out.put(a.key(), new Reservation(a.cluster(), a.claim(), a.bytes(), a.expires()));
    return out;
  }

  private static Map<String, Grant> grants(Iterable<Granted> granted) {
    Map<String, Grant> out = new TreeMap<>();
    for (Granted g : granted)
      out.put(g.replica(), new Grant(new Amount(g.bytes(), g.volumes()), g.expires()));
    return out;
  }
}

package io.kmetal.csi.webhook;

import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.tls.ReloadingKeyManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The per-tenant quota webhook, assembled: the under cluster's caches and ledger, the serialized
 * decider, the HTTPS server with a reloading certificate and, in push mode, the configuration
 * pusher.
 */
public final class QuotaWebhook implements AutoCloseable {
  private final UnderCluster under;
  private final Decider decider;
  private final WebhookServer server;
  private final ConfigurationPusher pusher;

  /**
   * What {@code kmetal-csi webhook} is started with.
   *
   * @param push null, or where the rendered configurations and the tenant kubeconfigs are
   * @param replica this replica's name in the ledger (the pod's)
   */
  public record Options(
      String namespace,
      String quota,
      String infraStorageClass,
      Set<String> tenantClasses,
      Set<String> tenantSnapshotClasses,
      double filesystemOverhead,
      Duration reservationTtl,
      String ledger,
      Path tlsDir,
      InetSocketAddress address,
      Push push,
      String replica) {}

  /** The seed's push mode: configurations rendered per cluster, pushed every {@code every}. */
  public record Push(Path configurations, Path kubeconfigs, Duration every) {}

  private QuotaWebhook(
      UnderCluster under, Decider decider, WebhookServer server, ConfigurationPusher pusher) {
    this.under = under;
    this.decider = decider;
    this.server = server;
    this.pusher = pusher;
  }

  /**
   * Starts serving once the caches are filled.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   * @throws IOException when the TLS material cannot be read
   */
  public static QuotaWebhook start(Options o, KubeClient client, PrometheusRegistry registry)
      throws IOException {
    var policy =
        new Policy(
            o.namespace(),
            o.quota(),
            o.infraStorageClass(),
            o.tenantClasses(),
            o.filesystemOverhead(),
            o.reservationTtl(),
            o.tenantSnapshotClasses());
    var keys = new ReloadingKeyManager(o.tlsDir(), Clock.systemUTC());
    ConfigurationPusher pusher = null;
    if (o.push() != null) {
      pusher =
          new ConfigurationPusher(
              o.push().configurations(), o.push().kubeconfigs(), o.tlsDir().resolve("ca.crt"));
      var missing = pusher.missingKubeconfigs();
      if (!missing.isEmpty())
        throw new IllegalArgumentException(
            "--tenant-kubeconfigs "
                + o.push().kubeconfigs()
                + " has no <cluster>/kubeconfig for "
                + String.join(", ", missing));
    }
    var under = new WatchedUnderCluster(client, policy, o.ledger());
    var decider = new Decider(policy, under, Clock.systemUTC(), o.replica());
    under.onClaimsChanged(decider::tidy);
    QuotaGauges.register(registry, policy.namespace(), decider::standing);
    var server =
        WebhookServer.start(o.address(), keys.serverContext(), decider, under::ready, registry);
    if (pusher != null) pusher.start(o.push().every());
    return new QuotaWebhook(under, decider, server, pusher);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    if (pusher != null) pusher.close();
    server.close();
    decider.close(); // after the server: no review is left waiting for it
    under.close();
  }
}

package io.kmetal.csi.command;

import io.kmetal.contract.DriverFlags;
import io.kmetal.contract.WebhookNames;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.webhook.QuotaWebhook;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmetal-csi webhook}: the tenant's quota admission webhook (and, in push mode, its
 * configuration's pusher).
 */
@Command(
    name = DriverFlags.Webhook.MODE,
    description =
        "Serve the tenant's quota admission webhook (HTTPS, admission.k8s.io/v1) for tenant"
            + " PVC CREATE, UPDATE and DELETE, and VolumeSnapshot CREATE and DELETE.")
public final class WebhookCommand implements Callable<Integer> {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(WebhookCommand.class);

  @Option(
      names = DriverFlags.Webhook.STORAGE_CLASS,
      required = true,
      description = "The under cluster's class the tenant's volumes use (infraStorageClassName)")
  String storageClass;

  @Option(
      names = DriverFlags.Webhook.TENANT_STORAGE_CLASS,
      split = ",",
      defaultValue = "kubevirt",
      description =
          "The tenant clusters' classes that provision on --storage-class (default:"
              + " ${DEFAULT-VALUE}); claims of other classes pass")
  Set<String> tenantStorageClasses;

  @Option(
      names = DriverFlags.Webhook.TENANT_SNAPSHOT_CLASS,
      split = ",",
      description =
          "The tenant clusters' VolumeSnapshotClasses of the driver: a snapshot of one (or of"
              + " none, so the default) counts against the quota's count/volumesnapshots"
              + " (default: none, snapshots are not checked)")
  Set<String> tenantSnapshotClasses = Set.of();

  @Option(
      names = DriverFlags.Webhook.NAMESPACE,
      required = true,
      description = "The tenant's namespace in the under cluster")
  String namespace;

  @Option(
      names = DriverFlags.Webhook.QUOTA,
      required = true,
      description = "The tenant's ResourceQuota there")
  String quota;

  @Option(
      names = DriverFlags.Webhook.FILESYSTEM_OVERHEAD,
      defaultValue = "0.055",
      description =
          "CDI's filesystem overhead for Filesystem volumes, 0 ≤ x < 1 (default:"
              + " ${DEFAULT-VALUE}, CDI's global default)")
  double filesystemOverhead;

  @Option(
      names = DriverFlags.Webhook.RESERVATION_TTL_SECONDS,
      defaultValue = "3600",
      description =
          "How long a claim admitted but not yet provisioned is counted (default:"
              + " ${DEFAULT-VALUE}); its DELETE releases it sooner")
  long reservationTtlSeconds;

  @Option(
      names = DriverFlags.Webhook.LEDGER,
      defaultValue = WebhookNames.LEDGER,
      description =
          "The ConfigMap in --namespace holding admitted, unprovisioned claims for every"
              + " replica (default: ${DEFAULT-VALUE})")
  String ledger;

  @Option(
      names = DriverFlags.Webhook.TLS_DIR,
      required = true,
      description =
          "The mounted TLS secret: tls.crt and tls.key (reloaded when they change), ca.crt"
              + " for --push-configurations")
  Path tlsDir;

  @Option(
      names = DriverFlags.Webhook.PORT,
      defaultValue = "8443",
      description = "HTTPS port (default: 8443)")
  int port;

  @Option(
      names = DriverFlags.Webhook.ADDRESS,
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE})")
  String address;

  @Option(
      names = DriverFlags.Webhook.PUSH_CONFIGURATIONS,
      description =
          "Push mode: <dir>/<cluster>.yaml, each tenant cluster's ValidatingWebhookConfiguration"
              + " as rendered, applied there with ca.crt as the caBundle")
  Path pushConfigurations;

  @Option(
      names = DriverFlags.Webhook.TENANT_KUBECONFIGS,
      description = "Push mode: <dir>/<cluster>/kubeconfig for each tenant cluster")
  Path tenantKubeconfigs;

  @Option(
      names = DriverFlags.Webhook.PUSH_INTERVAL_SECONDS,
      defaultValue = "300",
      description = "Push mode: how often the configurations are applied again (default: 300)")
  long pushIntervalSeconds;

  @Option(
      names = DriverFlags.Webhook.UNDER_KUBECONFIG,
      description = "The under cluster's kubeconfig (default: the pod's service account)")
  Path underKubeconfig;

  @Option(
      names = DriverFlags.Webhook.REPLICA,
      description =
          "This replica's name in the ledger (default: $HOSTNAME, the pod's name, else random)")
  String replica;

  private static String defaultReplica() {
    String host = System.getenv("HOSTNAME");
    return host != null && host.matches("[-._a-zA-Z0-9]{1,200}")
        ? host
        : java.util.UUID.randomUUID().toString();
  }

  @Override
  public Integer call() throws Exception {
    if ((pushConfigurations == null) != (tenantKubeconfigs == null))
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--push-configurations and --tenant-kubeconfigs go together (push mode)");
    var options =
        new QuotaWebhook.Options(
            namespace,
            quota,
            storageClass,
            tenantStorageClasses,
            tenantSnapshotClasses,
            filesystemOverhead,
            Duration.ofSeconds(reservationTtlSeconds),
            ledger,
            tlsDir,
            new InetSocketAddress(address, port),
            pushConfigurations == null
                ? null
                : new QuotaWebhook.Push(
                    pushConfigurations,
                    tenantKubeconfigs,
                    Duration.ofSeconds(Math.max(10, pushIntervalSeconds))),
            replica != null ? replica : defaultReplica());
    QuotaWebhook webhook;
    try {
      webhook =
          QuotaWebhook.start(
              options, KubeClient.of(underKubeconfig), PrometheusRegistry.defaultRegistry);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    var stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  webhook.close();
                  stopped.countDown();
                }));
    log.info(
        "kmetal-csi {} quota webhook for {}/{} serving on https://{}:{}",
        DriverCli.version(),
        namespace,
        quota,
        address,
        webhook.port());
    stopped.await();
    return 0;
  }
}

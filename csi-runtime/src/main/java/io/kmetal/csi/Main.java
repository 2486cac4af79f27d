package io.kmetal.csi;

import io.grpc.BindableService;
import io.kmetal.contract.DriverConfigKeys;
import io.kmetal.contract.DriverFlags;
import io.kmetal.contract.WebhookNames;
import io.kmetal.csi.controller.ControllerConfig;
import io.kmetal.csi.controller.ControllerService;
import io.kmetal.csi.controller.StorageClassPolicy;
import io.kmetal.csi.disk.Bus;
import io.kmetal.csi.health.Healthz;
import io.kmetal.csi.identity.IdentityService;
import io.kmetal.csi.infra.KubeInfraCluster;
import io.kmetal.csi.kube.KubeApi;
import io.kmetal.csi.kube.KubeClients;
import io.kmetal.csi.node.Disks;
import io.kmetal.csi.node.LinuxMounter;
import io.kmetal.csi.node.NodeIdentity;
import io.kmetal.csi.node.NodeService;
import io.kmetal.csi.registration.PluginRegistration;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import io.kmetal.csi.telemetry.CallTelemetry;
import io.kmetal.csi.telemetry.Metrics;
import io.kmetal.csi.webhook.QuotaWebhook;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmetal-csi controller|node [options]}: the csi.kubevirt.io driver in one binary, with the
 * arguments {@code TenantStorage} renders into the controller Deployment and the node DaemonSet.
 * Stops gracefully on SIGTERM.
 */
@Command(
    name = "kmetal-csi",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {Main.Controller.class, Main.Node.class, Main.Webhook.class},
    description =
        "The csi.kubevirt.io CSI driver: controller (under cluster) or node (tenant); and the"
            + " tenant's quota admission webhook.")
public final class Main {
  public static void main(String[] args) {
    // Netty warns that a Unix socket has no SO_KEEPALIVE, on every connection.
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap",
        "error");
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Options every mode has. */
  abstract static class Serve implements Callable<Integer> {
    @Option(
        names = DriverFlags.ENDPOINT,
        defaultValue = "unix:///csi/csi.sock",
        description = "The CSI socket (default: ${DEFAULT-VALUE})")
    String endpoint;

    @Option(
        names = DriverFlags.METRICS_ADDRESS,
        description =
            "Serve Prometheus metrics (calls by method and status, latencies) at"
                + " http://HOST:PORT/metrics, e.g. :9808 (default: off)")
    String metricsAddress;

    @Option(
        names = DriverFlags.HEALTH_ADDRESS,
        description =
            "Serve http://HOST:PORT/healthz, the driver's own Probe through its socket (what the"
                + " livenessprobe sidecar serves), e.g. :9808 (default: off)")
    String healthAddress;

    abstract List<BindableService> services() throws IOException;

    /** Servers beside the CSI socket, started once it answers (first closed on shutdown). */
    List<CsiServer> besides() throws IOException {
      return List.of();
    }

    /** Why the process is unhealthy besides its Probe (for {@code /healthz}). */
    Optional<String> problem() {
      return Optional.empty();
    }

    @Override
    public Integer call() throws Exception {
      Endpoint where = Endpoint.parse(endpoint);
      var registry = PrometheusRegistry.defaultRegistry;
      var telemetry = new CallTelemetry(registry);
      if (metricsAddress != null) Metrics.serve(metricsAddress, registry);
      CsiServer server = CsiServer.start(where, services(), List.of(telemetry));
      Healthz healthz =
          healthAddress == null
              ? null
              : Healthz.serve(healthAddress, where.socket(), this::problem);
      List<CsiServer> besides = besides();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      for (CsiServer other : besides) other.close();
                      if (healthz != null) healthz.close();
                      server.close();
                    } catch (IOException e) {
                      System.err.println("kmetal-csi: " + e.getMessage());
                    }
                  }));
      System.err.println("kmetal-csi " + version() + " serving on " + where);
      server.awaitTermination();
      return 0;
    }
  }

  @Command(
      name = DriverFlags.Controller.MODE,
      description = "Serve Identity and Controller (under cluster).")
  static final class Controller extends Serve {
    @Option(
        names = DriverFlags.Controller.DRIVER_CONFIG,
        required = true,
        description =
            "The mounted driver ConfigMap: infraClusterNamespace, infraClusterLabels and"
                + " (optional) infraStorageClassEnforcement and infraSnapshotClasses")
    Path driverConfig;

    @Option(
        names = DriverFlags.Controller.TENANT_CLUSTER,
        description = "The tenant cluster's name (for logs)")
    String tenantCluster;

    @Option(
        names = DriverFlags.Controller.TENANT_KUBECONFIG,
        description = "The tenant cluster's kubeconfig (read by the sidecars, not the driver)")
    Path tenantKubeconfig;

    @Option(
        names = DriverFlags.Controller.BUS,
        defaultValue = "scsi",
        converter = BusConverter.class,
        description = "Hot-plug disk bus: scsi or virtio (default: ${DEFAULT-VALUE})")
    Bus bus;

    @Option(
        names = DriverFlags.Controller.ATTACH_TIMEOUT_SECONDS,
        defaultValue = "120",
        description =
            "How long a publish or unpublish waits for the VMI's volume status (at most the"
                + " call's deadline; default: ${DEFAULT-VALUE})")
    int attachTimeoutSeconds;

    @Option(
        names = DriverFlags.Controller.ADMISSION_WAIT_SECONDS,
        defaultValue = "30",
        description =
            "How long CreateVolume waits for CDI to make the new DataVolume's claim, so that a"
                + " ResourceQuota refusal comes back as RESOURCE_EXHAUSTED (at most the call's"
                + " deadline; 0: do not wait; default: ${DEFAULT-VALUE})")
    int admissionWaitSeconds;

    @Option(
        names = DriverFlags.Controller.UNDER_KUBECONFIG,
        description = "The under cluster's kubeconfig (default: the pod's service account)")
    Path underKubeconfig;

    @Override
    List<BindableService> services() throws IOException {
      ControllerConfig config;
      try {
        config =
            new ControllerConfig(
                read(driverConfig, DriverConfigKeys.INFRA_CLUSTER_NAMESPACE),
                ControllerConfig.parseLabels(
                    read(driverConfig, DriverConfigKeys.INFRA_CLUSTER_LABELS)),
                StorageClassPolicy.parse(
                    optional(driverConfig, DriverConfigKeys.INFRA_STORAGE_CLASS_ENFORCEMENT)),
                ControllerConfig.parseSnapshotClasses(
                    optional(driverConfig, DriverConfigKeys.INFRA_SNAPSHOT_CLASSES)));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            new CommandLine(new Controller()),
            "--driver-config " + driverConfig + ": " + e.getMessage());
      }
      var under = new KubeInfraCluster(KubeClients.client(underKubeconfig), config.namespace());
      return List.of(
          new IdentityService(version(), IdentityService.pluginCapabilities(), () -> true),
          ControllerService.over(
              under,
              config,
              bus.wire(),
              Duration.ofSeconds(admissionWaitSeconds),
              Duration.ofSeconds(attachTimeoutSeconds)));
    }

    private static String optional(Path dir, String key) throws IOException {
      Path file = dir.resolve(key);
      return Files.isRegularFile(file) ? Files.readString(file) : null;
    }

    private static String read(Path dir, String key) throws IOException {
      Path file = dir.resolve(key);
      if (!Files.isRegularFile(file))
        throw new CommandLine.ParameterException(
            new CommandLine(new Controller()),
            "--driver-config " + dir + " has no " + key + " (the driver ConfigMap's keys)");
      return Files.readString(file).strip();
    }
  }

  /** {@code --bus}, refused with the buses KubeVirt hot-plugs on. */
  static final class BusConverter implements CommandLine.ITypeConverter<Bus> {
    @Override
    public Bus convert(String value) {
      try {
        return Bus.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Command(
      name = DriverFlags.Node.MODE,
      description = "Serve Identity and Node (tenant cluster VM).")
  static final class Node extends Serve {
    @Option(
        names = DriverFlags.Node.NODE_NAME,
        required = true,
        description =
            "This tenant node's name; the node id is its KubeVirt VM, from spec.providerID"
                + " (kubevirt://<vm>) or the csi.kubevirt.io/infra-vm-name annotation")
    String nodeName;

    @Option(
        names = DriverFlags.Node.KUBECONFIG,
        description = "The tenant cluster's kubeconfig (default: the pod's service account)")
    Path kubeconfig;

    @Option(
        names = DriverFlags.Node.KUBELET_REGISTRATION_PATH,
        description =
            "Register the plugin with the kubelet (what node-driver-registrar does), naming this"
                + " path of the CSI socket on the node, e.g."
                + " /var/lib/kubelet/plugins/csi.kubevirt.io/csi.sock (default: off)")
    String kubeletRegistrationPath;

    @Option(
        names = DriverFlags.Node.REGISTRATION_DIR,
        defaultValue = "/registration",
        description =
            "Where the kubelet's plugin watcher looks for registration sockets: the node's"
                + " /var/lib/kubelet/plugins_registry (default: ${DEFAULT-VALUE})")
    Path registrationDir;

    private PluginRegistration registration;

    @Option(
        names = DriverFlags.Node.DISK_BY_ID_DIR,
        defaultValue = "/dev/disk/by-id",
        description = "Where udev names disks by serial (default: ${DEFAULT-VALUE})")
    Path diskByIdDir;

    /**
     * Serves at once and looks the node up meanwhile (the cluster client is most of the start-up
     * time), retrying while the API server cannot be reached or the node names no VM: Probe is
     * ready and NodeGetInfo answers once the VM is known; until then NodeGetInfo is UNAVAILABLE
     * with the reason, which is also logged.
     */
    @Override
    List<BindableService> services() {
      var vm = NodeIdentity.lookUp(this::vmName);
      return List.of(
          new IdentityService(
              version(), IdentityService.pluginCapabilities(), () -> vm.known().isPresent()),
          new NodeService(vm::require, new Disks(diskByIdDir), new LinuxMounter()));
    }

    @Override
    List<CsiServer> besides() throws IOException {
      if (kubeletRegistrationPath == null) return List.of();
      registration = new PluginRegistration(IdentityService.DRIVER_NAME, kubeletRegistrationPath);
      Endpoint socket =
          new Endpoint(PluginRegistration.socket(registrationDir, IdentityService.DRIVER_NAME));
      CsiServer server = CsiServer.start(socket, List.of(registration));
      System.err.println("kmetal-csi: registration on " + socket + " for the kubelet");
      return List.of(server);
    }

    @Override
    Optional<String> problem() {
      return registration == null ? Optional.empty() : registration.problem();
    }

    /** One GET of the Node, without a cluster client: it would triple the plugin's memory. */
    private String vmName() throws IOException {
      var node =
          KubeApi.of(kubeconfig)
              .get("/api/v1/nodes/" + nodeName)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--node-name: no node " + nodeName + " in the cluster"));
      return NodeIdentity.vmName(node);
    }
  }

  @Command(
      name = DriverFlags.Webhook.MODE,
      description =
          "Serve the tenant's quota admission webhook (HTTPS, admission.k8s.io/v1) for tenant"
              + " PVC CREATE, UPDATE and DELETE, and VolumeSnapshot CREATE and DELETE.")
  static final class Webhook implements Callable<Integer> {
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
                options, KubeClients.client(underKubeconfig), PrometheusRegistry.defaultRegistry);
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
      System.err.println(
          "kmetal-csi "
              + version()
              + " quota webhook for "
              + namespace
              + "/"
              + quota
              + " serving on https://"
              + address
              + ":"
              + webhook.port());
      stopped.await();
      return 0;
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** {@code --version}: the version the jar's manifest carries. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kmetal-csi " + version()};
    }
  }
}

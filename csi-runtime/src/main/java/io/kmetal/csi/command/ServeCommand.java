package io.kmetal.csi.command;

import io.grpc.BindableService;
import io.kmetal.contract.DriverFlags;
import io.kmetal.csi.health.Healthz;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import io.kmetal.csi.telemetry.CallTelemetry;
import io.kmetal.csi.telemetry.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** Options every mode has. */
public abstract class ServeCommand implements Callable<Integer> {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

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
    CallTelemetry telemetry = CallTelemetry.logsOnly();
    if (metricsAddress != null) {
      var registry = PrometheusRegistry.defaultRegistry;
      telemetry = new CallTelemetry(registry);
      Metrics.serve(metricsAddress, registry);
    }
    // Everything that starts, starts before the socket appears: the sidecars' first calls, with
    // external-attacher's one-second budget, then find a process with nothing else to do.
    Healthz healthz =
        healthAddress == null ? null : Healthz.serve(healthAddress, where.socket(), this::problem);
    CsiServer server = CsiServer.start(where, services(), List.of(telemetry));
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
                    log.error("stopping: {}", e.getMessage());
                  }
                }));
    log.info("kmetal-csi {} serving on {}", DriverCli.version(), where);
    server.awaitTermination();
    return 0;
  }
}

package io.kmetal.csi.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.NodeGetVolumeStatsRequest;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kmetal.csi.identity.IdentityService;
import io.kmetal.csi.node.Disks;
import io.kmetal.csi.node.LinuxMounter;
import io.kmetal.csi.node.NodeService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CallTelemetryTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    var telemetry = new CallTelemetry(registry);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new IdentityService("v", List.of(), () -> true), telemetry))
            .addService(
                ServerInterceptors.intercept(
                    new NodeService("vm", new Disks(Path.of("/nonexistent")), new LinuxMounter()),
                    telemetry))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void callsAreCountedAndTimedByMethodAndStatusCode() {
    var identity = IdentityGrpc.newBlockingStub(channel);
    identity.getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    identity.getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    assertThrows(
        StatusRuntimeException.class,
        () ->
            NodeGrpc.newBlockingStub(channel)
                .nodeGetVolumeStats(NodeGetVolumeStatsRequest.getDefaultInstance()));

    assertEquals(2.0, count("GetPluginInfo", "OK"));
    assertEquals(1.0, count("NodeGetVolumeStats", "INVALID_ARGUMENT"));
    assertEquals(2, observations("GetPluginInfo", "OK"));
  }

  @Test
  void withoutMetricsEveryCallIsStillAnsweredAndNothingIsCounted() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server bare =
        InProcessServerBuilder.forName(name)
            .addService(
                ServerInterceptors.intercept(
                    new IdentityService("v", List.of(), () -> true), CallTelemetry.logsOnly()))
            .build()
            .start();
    ManagedChannel to = InProcessChannelBuilder.forName(name).build();
    try {
      assertEquals(
          "v",
          IdentityGrpc.newBlockingStub(to)
              .getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
              .getVendorVersion());
      assertEquals(0.0, count("GetPluginInfo", "OK"), "this test's registry saw none of it");
    } finally {
      to.shutdownNow();
      bare.shutdownNow();
    }
  }

  @Test
  void aCallsTimeIsLoggedInMillisecondsToOneDecimalRoundedHalfUpInAnyLocale() {
    assertEquals("0.0", CallTelemetry.millis(0));
    assertEquals("0.0", CallTelemetry.millis(49_999));
    assertEquals("0.1", CallTelemetry.millis(50_000));
    assertEquals("17.3", CallTelemetry.millis(17_349_999));
    assertEquals("17.4", CallTelemetry.millis(17_350_000));
    assertEquals("1.0", CallTelemetry.millis(999_999));
    assertEquals("120000.0", CallTelemetry.millis(120_000_000_000L));
  }

  private double count(String method, String code) {
    return registry.scrape().stream()
        .filter(s -> s instanceof CounterSnapshot)
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(
            d ->
                method.equals(d.getLabels().get("method"))
                    && code.equals(d.getLabels().get("code")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  private long observations(String method, String code) {
    return registry.scrape().stream()
        .filter(s -> s instanceof HistogramSnapshot)
        .flatMap(s -> ((HistogramSnapshot) s).getDataPoints().stream())
        .filter(
            d ->
                method.equals(d.getLabels().get("method"))
                    && code.equals(d.getLabels().get("code")))
        .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount)
        .sum();
  }
}

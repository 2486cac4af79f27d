package io.kmetal.csi.telemetry;

import io.kmetal.csi.server.ListenAddress;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The Prometheus endpoint: {@code GET /metrics} on {@code [host]:port}. */
public final class Metrics {
  private Metrics() {}

  /** Serves {@code registry} at {@code address} ({@code :9808} or {@code 127.0.0.1:9808}). */
  public static HTTPServer serve(String address, PrometheusRegistry registry) throws IOException {
    ListenAddress where = ListenAddress.parse("--metrics-address", address);
    var server = HTTPServer.builder().port(where.port()).registry(registry);
    if (where.host() != null) server.hostname(where.host());
    return server.buildAndStart();
  }
}

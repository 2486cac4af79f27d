package io.kmetal.csi.telemetry;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/** The Prometheus endpoint: {@code GET /metrics} on {@code [host]:port}. */
public final class Metrics {
  private Metrics() {}

  /** Serves {@code registry} at {@code address} ({@code :9808} or {@code 127.0.0.1:9808}). */
  public static HTTPServer serve(String address, PrometheusRegistry registry) throws IOException {
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "--metrics-address " + address + ": want [HOST]:PORT, e.g. :9808");
    }
    var server = HTTPServer.builder().port(port).registry(registry);
    if (colon > 0) server.hostname(address.substring(0, colon));
    return server.buildAndStart();
  }
}

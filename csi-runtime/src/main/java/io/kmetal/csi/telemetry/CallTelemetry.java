package io.kmetal.csi.telemetry;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every CSI call counted, timed and logged by method and status code: {@code
 * kmetal_csi_operations_total} and {@code kmetal_csi_operation_seconds} for Prometheus, and one
 * logfmt line per call ({@code method= volume= code= ms=}; the request itself only at TRACE, with
 * its secrets stripped). Probe is logged at TRACE: the liveness probe calls it every few seconds.
 */
public final class CallTelemetry implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(CallTelemetry.class);

  private final Counter calls; // null without metrics
  private final Histogram seconds;

  /** Logs every call and counts it in {@code registry}. */
  public CallTelemetry(PrometheusRegistry registry) {
    calls =
        Counter.builder()
            .name("kmetal_csi_operations_total")
            .help("CSI calls answered, by method and gRPC status code")
            .labelNames("method", "code")
            .withoutExemplars()
            .register(registry);
    seconds =
        Histogram.builder()
            .name("kmetal_csi_operation_seconds")
            .help("Time to answer a CSI call, by method and gRPC status code")
            .labelNames("method", "code")
            .classicUpperBounds(
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
            .classicOnly()
            .withoutExemplars()
            .register(registry);
  }

  private CallTelemetry() {
    calls = null;
    seconds = null;
  }

  /**
   * Logs every call and counts none: for a process that serves no metrics (the node plugin without
   * {@code --metrics-address}), which then never loads the Prometheus client, some 60 classes.
   */
  public static CallTelemetry logsOnly() {
    return new CallTelemetry();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    long start = System.nanoTime();
    String[] volume = {""};
    ServerCall<Q, R> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            long nanos = System.nanoTime() - start;
            count(method, status, nanos); // before the answer: a scrape after it sees this call
            try {
              super.close(status, trailers);
            } finally {
              log(method, volume[0], status, nanos); // the caller need not wait for the log line
            }
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
      @Override
      public void onMessage(Q request) {
        volume[0] = CallSubject.of(request);
        if (request instanceof MessageLite m && log.isTraceEnabled())
          log.trace("request method={} body=\"{}\"", method, Redaction.logLine(m));
        super.onMessage(request);
      }
    };
  }

  private void count(String method, Status status, long nanos) {
    if (calls == null) return;
    String code = status.getCode().name();
    calls.labelValues(method, code).inc();
    seconds.labelValues(method, code).observe(nanos / 1e9);
  }

  private static void log(String method, String volume, Status status, long nanos) {
    String code = status.getCode().name();
    if (method.equals("Probe")) {
      if (log.isTraceEnabled())
        log.trace("call method={} code={} ms={}", method, code, millis(nanos));
    } else if (status.isOk()) {
      log.info("call method={} volume={} code={} ms={}", method, volume, code, millis(nanos));
    } else {
      log.warn(
          "call method={} volume={} code={} ms={} error=\"{}\"",
          method,
          volume,
          code,
          millis(nanos),
          status.getDescription());
    }
  }

  /**
   * {@code nanos} in milliseconds to one decimal, rounded half up: {@code 17.3}. Not {@code
   * String.format}, whose parser and float formatting a new plugin runs interpreted on every call
   * it logs (about a tenth of a millisecond each, {@code ./kmetal bench csi stage}'s fresh row).
   */
  static String millis(long nanos) {
    long tenths = (Math.max(0, nanos) + 50_000) / 100_000;
    return tenths / 10 + "." + tenths % 10;
  }
}

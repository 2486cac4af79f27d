package io.kmetal.csi.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's HTTPS endpoint: {@code POST /validate-pvc/<tenant cluster>} takes an
 * AdmissionReview, {@code GET /healthz} answers once the caches are filled, {@code GET /metrics}
 * serves the review counts and latencies. A review that cannot be read is answered 400 with the
 * reason; one that cannot be decided in time 503, so the API server applies the failurePolicy.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
  static final String PATH = "/validate-pvc";
  private static final int MAX_BODY = 3 << 20; // the API server's own request limit
  private static final long DRAIN_LIMIT = 64 << 20;
  private static final Pattern CLUSTER = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern TIMEOUT = Pattern.compile("(?:^|&)timeout=([0-9]{1,3})s(?:&|$)");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MARGIN = Duration.ofMillis(300);

  private final HttpsServer server;
  private final ExecutorService workers;
  private final Decider decider;
  private final Counter reviews;
  private final Histogram latency;

  private WebhookServer(
      HttpsServer server, ExecutorService workers, Decider decider, PrometheusRegistry registry) {
    this.server = server;
    this.workers = workers;
    this.decider = decider;
    this.reviews =
        Counter.builder()
            .name("kmetal_webhook_reviews_total")
            .help("Admission reviews answered, by operation and result")
            .labelNames("operation", "result")
            .register(registry);
    this.latency =
        Histogram.builder()
            .name("kmetal_webhook_review_seconds")
            .help("Time from request to answer")
            .labelNames("result")
            .register(registry);
  }

  /** Serves on {@code address} until closed. */
  public static WebhookServer start(
      InetSocketAddress address,
      SSLContext tls,
      Decider decider,
      BooleanSupplier ready,
      PrometheusRegistry registry)
      throws IOException {
    HttpsServer https = HttpsServer.create(address, 256);
    https.setHttpsConfigurator(new HttpsConfigurator(tls));
    ExecutorService workers =
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "webhook-http");
              t.setDaemon(true);
              return t;
            });
    https.setExecutor(workers);
    var server = new WebhookServer(https, workers, decider, registry);
    https.createContext(PATH, server::review);
    https.createContext("/healthz", e -> server.health(e, ready.getAsBoolean()));
    https.createContext("/metrics", new MetricsHandler(registry));
    https.start();
    return server;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void review(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String result = "bad_request";
    String operation = "";
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "text/plain", "POST an AdmissionReview");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String cluster = path.length() > PATH.length() + 1 ? path.substring(PATH.length() + 1) : "";
      if (!path.startsWith(PATH + "/") || !CLUSTER.matcher(cluster).matches()) {
        respond(exchange, 404, "text/plain", "want " + PATH + "/<tenant cluster name>");
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        respond(exchange, 413, "text/plain", "the review is larger than " + MAX_BODY + " bytes");
        return;
      }
      Review review;
      try {
        review = Reviews.parse(body, cluster);
      } catch (BadReview bad) {
        if (bad.uid() == null) {
          respond(exchange, 400, "text/plain", bad.getMessage());
          return;
        }
        result = "invalid";
        respond(
            exchange,
            200,
            "application/json",
            Reviews.response(bad.uid(), Decision.invalid(bad.getMessage())));
        return;
      }
      operation = review.operation();
      try {
        Decision d =
            decider.submit(review).get(waitFor(exchange).toMillis(), TimeUnit.MILLISECONDS);
        result = d.allowed() ? "allowed" : "refused";
        if (!d.allowed())
          log.info("refused {} {} from {}: {}", operation, claim(review), cluster, d.message());
        respond(exchange, 200, "application/json", Reviews.response(review.uid(), d));
      } catch (TimeoutException e) {
        result = "unavailable";
        respond(exchange, 503, "text/plain", "no decision in time: the under cluster is slow");
      } catch (ExecutionException e) {
        result = "unavailable";
        respond(exchange, 503, "text/plain", e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result = "unavailable";
        respond(exchange, 503, "text/plain", "the webhook is stopping");
      }
    } finally {
      reviews.labelValues(operation, result).inc();
      latency.labelValues(result).observe((System.nanoTime() - start) / 1e9);
    }
  }

  private static String claim(Review review) {
    Claim c = review.object() != null ? review.object() : review.oldObject();
    return c == null ? review.resource() : c.ref();
  }

  /** The API server's own deadline ({@code ?timeout=5s}) less a margin to answer in. */
  private static Duration waitFor(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    Matcher m = query == null ? null : TIMEOUT.matcher(query);
    Duration timeout =
        m != null && m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1))) : DEFAULT_TIMEOUT;
    Duration wait = timeout.minus(MARGIN);
    return wait.compareTo(MARGIN) < 0 ? MARGIN : wait;
  }

  /**
   * The body, or null when it exceeds the limit; the rest of a large body is read and dropped (up
   * to a bound), so the client, still sending, receives the 413 instead of a reset.
   */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length <= MAX_BODY) return body;
    long dropped = 0;
    byte[] sink = new byte[64 * 1024];
    for (int n; dropped < DRAIN_LIMIT && (n = in.read(sink)) > 0; ) dropped += n;
    return null;
  }

  private void health(HttpExchange exchange, boolean ready) throws IOException {
    try (exchange) {
      respond(exchange, ready ? 200 : 503, "text/plain", ready ? "ok" : "caches not filled yet");
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    respond(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(1);
    workers.shutdownNow();
    decider.close();
  }
}

package io.kmetal.csi.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kmetal.contract.DnsLabel;
import io.kmetal.contract.WebhookNames;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
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
  static final String PATH = WebhookNames.PATH;
  private static final int MAX_BODY = 3 << 20; // the API server's own request limit
  private static final long DRAIN_LIMIT = 64 << 20;
  private static final Pattern TIMEOUT = Pattern.compile("(?:^|&)timeout=([0-9]{1,3})s(?:&|$)");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MARGIN = Duration.ofMillis(300);

  private final HttpsServer server;
  private final ExecutorService workers;
  private final Decider decider;
  private final Counter reviews;
  private final Histogram latency;
  private final Counter refusals;

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
            .withoutExemplars()
            .register(registry);
    this.latency =
        Histogram.builder()
            .name("kmetal_webhook_review_seconds")
            .help("Time from request to answer")
            .labelNames("result")
            .classicOnly()
            .withoutExemplars()
            .register(registry);
    this.refusals =
        Counter.builder()
            .name("kmetal_webhook_refusals_total")
            .help(
                "Reviews refused, by tenant cluster and reason: storage, volumes or snapshots (the"
                    + " part of the quota exhausted; a claim may exhaust two) or invalid")
            .labelNames("namespace", "cluster", "reason")
            .withoutExemplars()
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

  /** An answer to send: HTTP status, content type, body, and the result label for metrics. */
  private record Answer(int status, String type, byte[] body, String result) {
    static Answer text(int status, String text, String result) {
      return new Answer(status, "text/plain", text.getBytes(StandardCharsets.UTF_8), result);
    }

    static Answer review(String uid, Decision d, String result) {
      return new Answer(200, "application/json", Reviews.response(uid, d), result);
    }
  }

  /**
   * Reads and checks the request on a worker thread, then hands the review to the decider and
   * returns: the answer is sent when the decision arrives, so no worker waits on the ledger.
   */
  private void review(HttpExchange exchange) {
    long start = System.nanoTime();
    Answer now;
    try {
      now = check(exchange, start);
    } catch (IOException e) {
      now = Answer.text(400, "the body cannot be read: " + e.getMessage(), "bad_request");
    }
    if (now != null) finish(exchange, start, "", now);
  }

  /** The answer for requests decided without the decider; null once the review is submitted. */
  private Answer check(HttpExchange exchange, long start) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod()))
      return Answer.text(405, "POST an AdmissionReview", "bad_request");
    String path = exchange.getRequestURI().getPath();
    String cluster = path.length() > PATH.length() + 1 ? path.substring(PATH.length() + 1) : "";
    if (!path.startsWith(PATH + "/") || !DnsLabel.isValid(cluster))
      return Answer.text(404, "want " + PATH + "/<tenant cluster name>", "bad_request");
    byte[] body = readBody(exchange.getRequestBody());
    if (body == null)
      return Answer.text(413, "the review is larger than " + MAX_BODY + " bytes", "bad_request");
    Review review;
    try {
      review = Reviews.parse(body, cluster);
    } catch (BadReview bad) {
      return bad.uid() == null
          ? Answer.text(400, bad.getMessage(), "bad_request")
          : refused(cluster, Decision.invalid(bad.getMessage()), bad.uid(), "invalid");
    }
    decider
        .submit(review)
        .orTimeout(waitFor(exchange).toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (d, failure) -> finish(exchange, start, review.operation(), answer(review, d, failure)),
            workers);
    return null;
  }

  private Answer answer(Review review, Decision d, Throwable failure) {
    if (failure == null) {
      if (d.allowed()) return Answer.review(review.uid(), d, "allowed");
      log.info(
          "refused {} {} from {}: {}",
          review.operation(),
          claim(review),
          review.cluster(),
          d.message());
      return refused(review.cluster(), d, review.uid(), "refused");
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    return Answer.text(
        503,
        cause instanceof TimeoutException
            ? "no decision in time: the under cluster is slow"
            : String.valueOf(cause.getMessage()),
        "unavailable");
  }

  private Answer refused(String cluster, Decision d, String uid, String result) {
    for (Decision.Refusal r : d.refusedFor())
      refusals.labelValues(decider.namespace(), cluster, r.label()).inc();
    return Answer.review(uid, d, result);
  }

  private void finish(HttpExchange exchange, long start, String operation, Answer a) {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", a.type());
      exchange.sendResponseHeaders(a.status(), a.body().length);
      exchange.getResponseBody().write(a.body());
    } catch (IOException e) {
      log.debug("the caller went away: {}", e.getMessage());
    } finally {
      reviews.labelValues(operation, a.result()).inc();
      latency.labelValues(a.result()).observe((System.nanoTime() - start) / 1e9);
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

package io.kmetal.csi.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

/**
 * The API server's REST interface for the controller and the webhook, over the JDK's HTTP client
 * and Jackson's tree model: the few verbs they use (get, list, create, update, patch, delete, a
 * subresource PUT) and {@link Watched} lists. A general cluster client (fabric8) held some 25 MiB
 * more in these processes, idle ({@code ./kmetal bench csi memory}).
 *
 * <p>Paths are the API's own ({@code /apis/cdi.kubevirt.io/v1beta1/namespaces/n/datavolumes}); a
 * refusal or a failure to reach the server is a {@link Failure} carrying the HTTP status. A request
 * that got no answer, or a 429 or 5xx, is sent again up to {@value #ATTEMPTS} times in all, after
 * 0.2, 0.4, 0.8 and 1.6 s: an API server restarting, or a pod's network still coming up, is waited
 * out, as client-go and fabric8 do. Every verb here is safe to repeat: a create that did land meets
 * 409, a delete 404, a write at a resourceVersion 409.
 *
 * <p>HTTP/2 where the API server offers it (ALPN), as client-go speaks it: every request and watch
 * shares one TLS connection. Over HTTP/1.1 each request in flight holds a connection of its own,
 * and at 50 CreateVolumes in flight the driver spent three times the CPU per call ({@code ./kmetal
 * bench csi create}). The JDK's client sends no HTTP/2 pings, so a connection that died without a
 * word would hold every later request until it timed out; a request that times out therefore
 * replaces the client, and with it the connection, as client-go's ping health check would.
 */
public final class KubeClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 5;

  private final KubeApi target;
  private volatile HttpClient http;
  private final Retry retry;

  KubeClient(KubeApi target) {
    this(target, Duration.ofMillis(200));
  }

  /** With the first pause between attempts {@code backoff} (tests shorten it). */
  KubeClient(KubeApi target, Duration backoff) {
    this.target = target;
    this.retry =
        Retry.of(
            "kube-api",
            RetryConfig.<Reply>custom()
                .maxAttempts(ATTEMPTS)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff, 2.0))
                .retryOnResult(reply -> reply.status() == 429 || reply.status() >= 500)
                .retryOnException(KubeClient::unanswered)
                .build());
    this.http = newHttp();
  }

  private HttpClient newHttp() {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(10));
    if (target.tls() != null) builder.sslContext(target.tls());
    return builder.build();
  }

  /** From {@code kubeconfig}, or the pod's service account when it is null. */
  public static KubeClient of(Path kubeconfig) throws IOException {
    return new KubeClient(KubeApi.of(kubeconfig));
  }

  /** The object at {@code path}; empty when the API server answers 404. */
  public Optional<JsonNode> get(String path) {
    Reply reply = send("GET", path, null, null);
    if (reply.status() == 404) return Optional.empty();
    return Optional.of(reply.orThrow("GET", path));
  }

  /** The list at {@code path} of the objects carrying all of {@code labels}. */
  public JsonNode list(String path, Map<String, String> labels) {
    String query = labels.isEmpty() ? "" : "?labelSelector=" + encode(selector(labels));
    return send("GET", path + query, null, null).orThrow("LIST", path);
  }

  /** Creates {@code body} in the collection at {@code path}: 409 when one of its name exists. */
  public JsonNode create(String path, Object body) {
    return send("POST", path, "application/json", body).orThrow("CREATE", path);
  }

  /** Replaces the object (or PUTs a subresource) at {@code path}. */
  public JsonNode put(String path, Object body) {
    return send("PUT", path, "application/json", body).orThrow("PUT", path);
  }

  /** A JSON merge patch (RFC 7386) of the object at {@code path}. */
  public JsonNode mergePatch(String path, Object patch) {
    return send("PATCH", path, "application/merge-patch+json", patch).orThrow("PATCH", path);
  }

  /**
   * Server-side apply of {@code object} as {@code fieldManager}, taking over conflicting fields.
   */
  public JsonNode apply(String path, Object object, String fieldManager) {
    String query = "?fieldManager=" + encode(fieldManager) + "&force=true";
    return send("PATCH", path + query, "application/apply-patch+yaml", object)
        .orThrow("APPLY", path);
  }

  /**
   * Deletes the object at {@code path}, only as it was at {@code resourceVersion} when that is not
   * null (409 when it changed since).
   *
   * @return false when there was none
   */
  public boolean delete(String path, String resourceVersion) {
    Object options =
        resourceVersion == null
            ? null
            : Map.of(
                "kind", "DeleteOptions",
                "apiVersion", "v1",
                "preconditions", Map.of("resourceVersion", resourceVersion));
    Reply reply = send("DELETE", path, options == null ? null : "application/json", options);
    if (reply.status() == 404) return false;
    reply.orThrow("DELETE", path);
    return true;
  }

  /**
   * Lists the collection at {@code path} (narrowed by {@code fieldSelector} when not null) and
   * keeps it current with a watch, calling {@code onChange} after each change. Returns once the
   * first list is in.
   *
   * @throws Failure when the first list fails
   */
  public Watched watch(String path, String fieldSelector, Runnable onChange) {
    return Watched.start(this, path, fieldSelector, onChange);
  }

  /** One request, sent again while unanswered or overloaded; its answer whatever the status. */
  Reply send(String method, String path, String contentType, Object body) {
    try {
      return retry.executeSupplier(() -> sendOnce(method, path, contentType, body));
    } catch (CancellationException interrupted) {
      // the retry's pause was interrupted: the thread is being stopped, nothing is sent again
      throw Failure.unanswered(method, path, new InterruptedException("interrupted"));
    }
  }

  /** Whether a request failed for want of an answer (not because this thread was interrupted). */
  private static boolean unanswered(Throwable e) {
    return e instanceof Failure f
        && f.status() == 0
        && !(f.getCause() instanceof InterruptedException);
  }

  private Reply sendOnce(String method, String path, String contentType, Object body) {
    HttpRequest.Builder request = request(path).timeout(REQUEST_TIMEOUT);
    try {
      if (body == null) request.method(method, HttpRequest.BodyPublishers.noBody());
      else
        request
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      HttpResponse<byte[]> response =
          exchange(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), tree(response.body()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + method + " " + path + " as JSON", e);
    } catch (IOException e) {
      throw Failure.unanswered(method, path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Failure.unanswered(method, path, e);
    }
  }

  /** A streamed GET (a watch): the body as it comes, for a 200; a {@link Failure} otherwise. */
  InputStream stream(String path) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        exchange(
            request(path).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() == 200) return response.body();
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readAllBytes();
    }
    throw Failure.of(response.statusCode(), "WATCH", path, tree(body));
  }

  /** Sends on the current client; one that times out is replaced (see the class comment). */
  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    HttpClient client = http;
    try {
      return client.send(request, body);
    } catch (HttpTimeoutException e) {
      replace(client);
      throw e;
    }
  }

  /** After {@code timedOut} timed out: a new client, unless another request made one already. */
  private synchronized void replace(HttpClient timedOut) {
    if (http == timedOut) http = newHttp();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target.server().toString().replaceAll("/+$", "") + path))
            .header("Accept", "application/json");
    try {
      target.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
    } catch (IOException e) {
      throw Failure.unanswered("READ", "the bearer token", e);
    }
    return request;
  }

  private static JsonNode tree(byte[] body) {
    if (body == null || body.length == 0) return NullNode.getInstance();
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
    }
  }

  /** {@code a=1,b=2}, in key order. */
  static String selector(Map<String, String> labels) {
    StringJoiner joined = new StringJoiner(",");
    new TreeMap<>(labels).forEach((k, v) -> joined.add(k + "=" + v));
    return joined.toString();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** An answer: its status and body (a Status object for most refusals). */
  record Reply(int status, JsonNode body) {
    JsonNode orThrow(String verb, String path) {
      if (status / 100 == 2) return body;
      throw Failure.of(status, verb, path, body);
    }
  }

  /**
   * A request the API server refused ({@link #status()} its HTTP status, the message its Status
   * object's) or did not answer (status 0, the message says why).
   */
  public static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Failure(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    public int status() {
      return status;
    }

    static Failure of(int status, String verb, String path, JsonNode body) {
      String message = body.path("message").asText(body.isTextual() ? body.asText() : "");
      return new Failure(
          status, message.isEmpty() ? verb + " " + path + ": HTTP " + status : message, null);
    }

    static Failure unanswered(String verb, String path, Exception e) {
      StringBuilder why = new StringBuilder(verb + " " + path + ": no answer");
      for (Throwable c = e; c != null; c = c.getCause())
        why.append(": ")
            .append(c.getClass().getSimpleName())
            .append(c.getMessage() == null ? "" : " " + c.getMessage());
      return new Failure(0, why.toString(), e);
    }
  }
}

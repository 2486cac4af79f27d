package io.kmetal.csi.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A stand-in API server on loopback (plain HTTP, the JDK's own server) for {@link KubeClient}'s
 * fast tests: it answers each request with what the test's script says and records the request
 * lines. The real API server is what the ITs use.
 */
public final class KubeFake implements AutoCloseable {
  /** How the fake answers one request. */
  @FunctionalInterface
  public interface Script {
    void answer(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private KubeFake(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          try (exchange) {
            script.answer(exchange);
          }
        });
    server.setExecutor(requests -> new Thread(requests, "kube-fake").start()); // a watch may hang
    server.start();
  }

  public static KubeFake serving(Script script) throws IOException {
    return new KubeFake(script);
  }

  /** A fake that answers every request with {@code status} and {@code json}. */
  public static KubeFake answering(int status, String json) throws IOException {
    return new KubeFake(exchange -> send(exchange, status, json));
  }

  /** A client of a loopback port nobody listens on. */
  public static KubeClient closedPort() throws IOException {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return client(URI.create("http://127.0.0.1:" + port));
  }

  public KubeClient client() {
    return client(uri());
  }

  /** A kubeconfig at {@code file} whose one context reaches {@code server} with a token. */
  public static Path kubeconfig(Path file, String server) throws IOException {
    return Files.writeString(
        file,
        """
        current-context: c
        contexts: [{name: c, context: {cluster: c, user: u}}]
        clusters: [{name: c, cluster: {server: "%s"}}]
        users: [{name: u, user: {token: t}}]
        """
            .formatted(server));
  }

  /** Where the fake listens: {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static KubeClient client(URI server) {
    try {
      // a millisecond between attempts: the tests count them, they need not wait them out
      return new KubeClient(
          new KubeApi(server, SSLContext.getDefault(), Optional::empty), Duration.ofMillis(1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The requests so far, as {@code METHOD /path?query}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  public static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

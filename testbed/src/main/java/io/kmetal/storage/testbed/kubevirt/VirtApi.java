package io.kmetal.storage.testbed.kubevirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The simulator's virt-api: the {@code subresources.kubevirt.io/v1} group as an aggregated API
 * server behind the under cluster's API server, which authenticates and authorizes every call and
 * then proxies it here with the front-proxy client certificate (required: nothing else gets in). It
 * serves discovery and the {@code addvolume}/{@code removevolume} subresources of VMs and VMIs.
 */
final class VirtApi implements AutoCloseable {
  static final String GROUP_VERSION = "subresources.kubevirt.io/v1";
  private static final Pattern SUBRESOURCE =
      Pattern.compile(
          "/apis/subresources\\.kubevirt\\.io/v1/namespaces/([^/]+)/"
              + "(virtualmachines|virtualmachineinstances)/([^/]+)/(addvolume|removevolume)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a hot-plug request does to the cluster (the {@link HotPlug} of the simulator). */
  interface Volumes {
    /** Adds the volume; returns the error status and message, or null when accepted. */
    Reply add(String namespace, boolean vm, String name, JsonNode options);

    Reply remove(String namespace, boolean vm, String name, JsonNode options);
  }

  /** An HTTP answer: status code and message (a Kubernetes Status body). */
  record Reply(int code, String reason, String message) {
    static final Reply ACCEPTED = new Reply(202, null, null);
  }

  private final HttpsServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  VirtApi(SSLContext tls, Volumes volumes) throws IOException {
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            var ssl = getSSLContext().getDefaultSSLParameters();
            ssl.setNeedClientAuth(true);
            params.setSSLParameters(ssl);
          }
        });
    server.createContext("/", exchange -> serve(exchange, volumes));
    server.setExecutor(threads);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void serve(HttpExchange exchange, Volumes volumes) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/apis/" + GROUP_VERSION) && method.equals("GET")) {
        send(exchange, 200, discovery());
        return;
      }
      Matcher m = SUBRESOURCE.matcher(path);
      if (!m.matches()) {
        send(
            exchange, 404, status(new Reply(404, "NotFound", "the server could not find " + path)));
        return;
      }
      if (!method.equals("PUT")) {
        send(exchange, 405, status(new Reply(405, "MethodNotAllowed", method + " " + path)));
        return;
      }
      JsonNode options;
      try {
        options = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        send(exchange, 400, status(new Reply(400, "BadRequest", "body: " + e.getMessage())));
        return;
      }
      if (options == null || !options.isObject()) {
        send(exchange, 400, status(new Reply(400, "BadRequest", "Request with no body")));
        return;
      }
      boolean vm = m.group(2).equals("virtualmachines");
      Reply reply =
          m.group(4).equals("addvolume")
              ? volumes.add(m.group(1), vm, m.group(3), options)
              : volumes.remove(m.group(1), vm, m.group(3), options);
      send(exchange, reply.code(), reply.code() < 300 ? "" : status(reply));
    } catch (RuntimeException e) {
      send(exchange, 500, status(new Reply(500, "InternalError", String.valueOf(e.getMessage()))));
    }
  }

  private static String discovery() throws IOException {
    List<Map<String, Object>> resources =
        List.of("virtualmachines", "virtualmachineinstances").stream()
            .flatMap(
                kind ->
                    List.of("addvolume", "removevolume").stream()
                        .map(
                            sub ->
                                Map.<String, Object>of(
                                    "name",
                                    kind + "/" + sub,
                                    "singularName",
                                    "",
                                    "namespaced",
                                    true,
                                    "kind",
                                    "VirtualMachine",
                                    "verbs",
                                    List.of("update"))))
            .toList();
    return JSON.writeValueAsString(
        Map.of(
            "kind",
            "APIResourceList",
            "apiVersion",
            "v1",
            "groupVersion",
            GROUP_VERSION,
            "resources",
            resources));
  }

  private static String status(Reply reply) throws IOException {
    return JSON.writeValueAsString(
        Map.of(
            "kind",
            "Status",
            "apiVersion",
            "v1",
            "status",
            "Failure",
            "reason",
            reply.reason(),
            "message",
            reply.message(),
            "code",
            reply.code()));
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

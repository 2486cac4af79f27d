package io.kmetal.csi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.csi.identity.IdentityService;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code /healthz} over real HTTP, answering from the driver's Probe on its real socket. */
class HealthzTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void answersFromTheProbeAndTheExtraCheck() throws Exception {
    Path socket = Files.createTempDirectory("csi-").resolve("csi.sock");
    var ready = new AtomicBoolean(true);
    var extra = new AtomicReference<Optional<String>>(Optional.empty());
    try (CsiServer server =
            CsiServer.start(
                new Endpoint(socket), List.of(new IdentityService("v", List.of(), ready::get)));
        Healthz healthz = Healthz.serve("127.0.0.1:0", socket, extra::get)) {
      assertEquals(socket, server.endpoint().socket());
      assertEquals("200 ok", get(healthz));
      ready.set(false);
      assertEquals("503 the driver's Probe answers not ready", get(healthz));
      ready.set(true);
      extra.set(Optional.of("the kubelet refused the registration: no"));
      assertEquals("503 the kubelet refused the registration: no", get(healthz));
    }
  }

  @Test
  void aDriverThatDoesNotAnswerIsUnhealthy() throws Exception {
    Path socket = Files.createTempDirectory("csi-").resolve("gone.sock");
    try (Healthz healthz = Healthz.serve("127.0.0.1:0", socket, Optional::empty)) {
      String answer = get(healthz);
      assertEquals("503 the driver's Probe failed", answer.substring(0, answer.indexOf(':')));
    }
  }

  @Test
  void startedBeforeTheSocketItTurnsHealthyOnceTheDriverServes() throws Exception {
    Path socket = Files.createTempDirectory("csi-").resolve("csi.sock");
    try (Healthz healthz = Healthz.serve("127.0.0.1:0", socket, Optional::empty)) {
      assertTrue(get(healthz).startsWith("503 the driver's Probe failed"));
      try (CsiServer server =
          CsiServer.start(
              new Endpoint(socket), List.of(new IdentityService("v", List.of(), () -> true)))) {
        assertEquals(socket, server.endpoint().socket());
        // the kubelet asks again every period; each check dials the socket afresh
        String answer = get(healthz);
        for (int i = 0; i < 50 && !answer.equals("200 ok"); i++) {
          Thread.sleep(200);
          answer = get(healthz);
        }
        assertEquals("200 ok", answer);
      }
    }
  }

  private String get(Healthz healthz) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthz.port() + "/healthz"))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }
}

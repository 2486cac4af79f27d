package io.kmetal.csi.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What {@link KubeClient} sends again and what it gives up on, against {@link KubeFake}. */
class KubeClientTest {
  private static final String PATH = "/api/v1/namespaces/alpha/configmaps/ledger";
  private static final String OBJECT = "{\"metadata\":{\"name\":\"ledger\"}}";

  @Test
  void anOverloadedApiServerIsAskedAgainUntilItAnswers() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    try (var api =
        KubeFake.serving(
            exchange -> {
              int n = asked.incrementAndGet();
              if (n == 1) KubeFake.send(exchange, 503, "{\"message\":\"etcd leader changed\"}");
              else if (n == 2) KubeFake.send(exchange, 429, "{\"message\":\"too many requests\"}");
              else KubeFake.send(exchange, 200, OBJECT);
            })) {
      var ledger = api.client().get(PATH).orElseThrow();
      assertEquals("ledger", ledger.path("metadata").path("name").asText());
      assertEquals(3, asked.get());
    }
  }

  @Test
  void aRefusalIsNotAskedAgain() throws Exception {
    try (var api = KubeFake.answering(403, "{\"message\":\"cannot get configmaps\"}")) {
      var e = assertThrows(KubeClient.Failure.class, () -> api.client().get(PATH));
      assertEquals(403, e.status());
      assertEquals("cannot get configmaps", e.getMessage());
      assertEquals(1, api.requests().size());
    }
  }

  @Test
  void anApiServerThatStaysDownIsAskedFiveTimesAndItsLastAnswerGiven() throws Exception {
    try (var api = KubeFake.answering(503, "{\"message\":\"the server is shutting down\"}")) {
      var e = assertThrows(KubeClient.Failure.class, () -> api.client().get(PATH));
      assertEquals(503, e.status());
      assertEquals("the server is shutting down", e.getMessage());
      assertEquals(5, api.requests().size());
    }
  }

  @Test
  void noAnswerAtAllIsStatusZeroNamingWhy() throws Exception {
    var e =
        assertThrows(
            KubeClient.Failure.class, () -> KubeFake.closedPort().list(PATH, Map.of("a", "b")));
    assertEquals(0, e.status());
    assertTrue(
        e.getMessage().startsWith("GET " + PATH + "?labelSelector=a%3Db: no answer"),
        e.getMessage());
    assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
  }

  @Test
  void aCreateOfAnExistingNameIsTheApiServers409() throws Exception {
    try (var api =
        KubeFake.answering(409, "{\"message\":\"configmaps \\\"ledger\\\" already exists\"}")) {
      var e =
          assertThrows(
              KubeClient.Failure.class,
              () -> api.client().create("/api/v1/namespaces/alpha/configmaps", Map.of()));
      assertEquals(409, e.status());
      assertEquals(1, api.requests().size());
      assertEquals("POST /api/v1/namespaces/alpha/configmaps", api.requests().get(0));
    }
  }
}

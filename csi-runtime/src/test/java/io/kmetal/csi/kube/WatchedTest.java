package io.kmetal.csi.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A watched collection through list, events, bookmarks, an ended watch and a compacted
 * resourceVersion (410), against {@link KubeFake} playing the API server's watch protocol.
 */
class WatchedTest {
  private static final String PATH = "/api/v1/namespaces/alpha/configmaps";

  private static String object(String name, int version) {
    return "{\"metadata\":{\"name\":\"%s\",\"resourceVersion\":\"%d\"}}".formatted(name, version);
  }

  private static String event(String type, String name, int version) {
    return "{\"type\":\"%s\",\"object\":%s}\n".formatted(type, object(name, version));
  }

  private static Set<String> names(Watched watched) {
    return watched.list().stream()
        .map(o -> o.path("metadata").path("name").asText())
        .collect(Collectors.toSet());
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    for (int i = 0; i < 500 && !done.getAsBoolean(); i++) Thread.sleep(10);
    assertTrue(done.getAsBoolean(), what);
  }

  @Test
  void eventsResumeFromTheLastVersionAndAGoneVersionListsAgain() throws Exception {
    AtomicInteger lists = new AtomicInteger();
    AtomicInteger watches = new AtomicInteger();
    AtomicInteger changes = new AtomicInteger();
    try (var api =
            KubeFake.serving(
                exchange -> {
                  String query = String.valueOf(exchange.getRequestURI().getQuery());
                  if (!query.contains("watch=true")) {
                    String items = lists.getAndIncrement() == 0 ? object("a", 1) : object("c", 10);
                    KubeFake.send(
                        exchange,
                        200,
                        "{\"metadata\":{\"resourceVersion\":\"%d\"},\"items\":[%s]}"
                            .formatted(lists.get() == 1 ? 1 : 10, items));
                    return;
                  }
                  String body =
                      switch (watches.getAndIncrement()) {
                        case 0 ->
                            event("ADDED", "b", 2)
                                + event("MODIFIED", "a", 3)
                                + event("DELETED", "b", 4)
                                + "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":"
                                + "{\"resourceVersion\":\"7\"}}}\n";
                        case 1 ->
                            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,"
                                + "\"message\":\"too old resource version: 7 (9)\"}}\n";
                        default -> {
                          try {
                            Thread.sleep(2_000); // a quiet watch
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          yield "";
                        }
                      };
                  KubeFake.send(exchange, 200, body);
                });
        Watched watched = api.client().watch(PATH, null, changes::incrementAndGet)) {
      assertEquals(Set.of("a"), names(watched), "the first list is in when watch returns");
      await("relisted after the 410", () -> lists.get() == 2 && names(watched).equals(Set.of("c")));
      List<String> requests = api.requests();
      assertEquals("GET " + PATH, requests.get(0));
      assertTrue(requests.get(1).contains("watch=true"), requests.get(1));
      assertTrue(requests.get(1).contains("resourceVersion=1&"), requests.get(1));
      assertTrue(
          requests.get(2).contains("resourceVersion=7&"),
          "the bookmark's version is where the next watch starts: " + requests.get(2));
      assertEquals("GET " + PATH, requests.get(3));
      assertTrue(changes.get() >= 5, "list, three events and the relist: " + changes.get());
    }
  }

  @Test
  void aFirstListTheApiServerRefusesFailsTheWatchWithItsStatus() throws IOException {
    try (var api =
        KubeFake.answering(
            403, "{\"kind\":\"Status\",\"code\":403,\"message\":\"cannot list configmaps\"}")) {
      var e =
          assertThrows(KubeClient.Failure.class, () -> api.client().watch(PATH, null, () -> {}));
      assertEquals(403, e.status());
      assertEquals("cannot list configmaps", e.getMessage());
    }
  }

  @Test
  void aFieldSelectorNarrowsBothTheListAndTheWatch() throws Exception {
    try (var api =
            KubeFake.serving(
                exchange ->
                    KubeFake.send(
                        exchange,
                        200,
                        String.valueOf(exchange.getRequestURI().getQuery()).contains("watch=true")
                            ? ""
                            : "{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}"));
        Watched watched = api.client().watch(PATH, "metadata.name=quota", () -> {})) {
      await("a watch request", () -> api.requests().size() >= 2);
      for (String request : api.requests().subList(0, 2))
        assertTrue(request.contains("fieldSelector=metadata.name%3Dquota"), request);
      assertEquals(java.util.Optional.empty(), watched.get("quota"));
    }
  }

  @Test
  void aWatchThatFallsSilentIsTakenForDeadAndResumed() throws Exception {
    AtomicInteger watches = new AtomicInteger();
    try (var api =
            KubeFake.serving(
                exchange -> {
                  boolean watch =
                      String.valueOf(exchange.getRequestURI().getQuery()).contains("watch=true");
                  if (!watch) {
                    KubeFake.send(
                        exchange, 200, "{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}");
                    return;
                  }
                  watches.incrementAndGet();
                  // headers, then nothing: a connection whose other end is gone without a reset
                  exchange.sendResponseHeaders(200, 0);
                  exchange.getResponseBody().flush();
                  try {
                    Thread.sleep(5_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        Watched watched =
            Watched.start(api.client(), PATH, null, () -> {}, java.time.Duration.ofMillis(300))) {
      await("a second watch after the first fell silent", () -> watches.get() >= 2);
      assertEquals(List.of(), watched.list());
      assertTrue(
          api.requests().get(2).contains("resourceVersion=1&"),
          "it resumes where it was: " + api.requests().get(2));
    }
  }
}

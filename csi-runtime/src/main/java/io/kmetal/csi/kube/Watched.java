package io.kmetal.csi.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection of one namespace kept in memory, by object name: listed once, then kept current by
 * a watch that resumes from the last resourceVersion it saw (bookmarks included). When the API
 * server has compacted past it (410 Gone) the collection is listed again; when the connection
 * drops, the watch resumes after a pause. Readers never wait for the network.
 */
public final class Watched implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Watched.class);
  private static final long RETRY_MS = 1_000;

  /**
   * How long a watch may say nothing before it is taken for dead and resumed: the API server sends
   * a bookmark about every minute, and a connection dropped without a reset (a crashed server, a
   * load balancer's failover) would otherwise leave the collection stale for good.
   */
  static final Duration SILENCE_LIMIT = Duration.ofSeconds(150);

  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "watch-silence");
            t.setDaemon(true);
            return t;
          });

  private final KubeClient client;
  private final String path;
  private final String fieldSelector;
  private final Runnable onChange;
  private final Map<String, JsonNode> objects = new ConcurrentHashMap<>();
  private final Thread watcher;
  private volatile String resourceVersion;
  private volatile InputStream open;
  private volatile long heard = System.nanoTime();
  private volatile boolean closed;
  private final ScheduledFuture<?> silence;
  private final Duration silenceLimit;

  private Watched(
      KubeClient client,
      String path,
      String fieldSelector,
      Runnable onChange,
      Duration silenceLimit) {
    this.client = client;
    this.path = path;
    this.fieldSelector = fieldSelector;
    this.onChange = onChange;
    this.watcher = new Thread(this::run, "watch " + path);
    watcher.setDaemon(true);
    this.silenceLimit = silenceLimit;
    long every = Math.max(1, silenceLimit.toMillis() / 5);
    this.silence =
        WATCHDOG.scheduleWithFixedDelay(this::endIfSilent, every, every, TimeUnit.MILLISECONDS);
  }

  /** Closes the open watch when it has said nothing for its silence limit. */
  private void endIfSilent() {
    InputStream body = open;
    if (body != null && System.nanoTime() - heard > silenceLimit.toNanos()) {
      log.info("watch of {} silent for {} ms, resuming it", path, silenceLimit.toMillis());
      quietly(body);
    }
  }

  static Watched start(KubeClient client, String path, String fieldSelector, Runnable onChange) {
    return start(client, path, fieldSelector, onChange, SILENCE_LIMIT);
  }

  static Watched start(
      KubeClient client,
      String path,
      String fieldSelector,
      Runnable onChange,
      Duration silenceLimit) {
    var watched = new Watched(client, path, fieldSelector, onChange, silenceLimit);
    try {
      watched.relist();
    } catch (RuntimeException e) {
      watched.silence.cancel(false);
      throw e;
    }
    watched.watcher.start();
    return watched;
  }

  /** The object of that name, as last seen. */
  public Optional<JsonNode> get(String name) {
    return Optional.ofNullable(objects.get(name));
  }

  /** Every object, as last seen. */
  public List<JsonNode> list() {
    return List.copyOf(objects.values());
  }

  private void relist() {
    String query =
        fieldSelector == null ? "" : "?fieldSelector=" + KubeClient.encode(fieldSelector);
    JsonNode list = client.send("GET", path + query, null, null).orThrow("LIST", path);
    Map<String, JsonNode> fresh = new ConcurrentHashMap<>();
    for (JsonNode item : list.path("items")) fresh.put(name(item), item);
    objects.keySet().retainAll(fresh.keySet());
    objects.putAll(fresh);
    resourceVersion = list.path("metadata").path("resourceVersion").asText();
    onChange.run();
  }

  private void run() {
    while (!closed) {
      try {
        if (resourceVersion == null) relist();
        watchOnce();
      } catch (KubeClient.Failure e) {
        if (closed) return;
        if (e.status() == 410) {
          log.debug("{}: resourceVersion {} is gone, listing again", path, resourceVersion);
          resourceVersion = null;
          continue;
        }
        log.warn("watch of {} failed, retrying: {}", path, e.getMessage());
        pause();
      } catch (IOException e) {
        if (closed) return;
        log.debug("watch of {} dropped, resuming: {}", path, e.toString());
        pause();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One watch request, read until the API server ends it (its timeout) or it fails. */
  private void watchOnce() throws IOException, InterruptedException {
    StringBuilder query =
        new StringBuilder("?watch=true&allowWatchBookmarks=true&resourceVersion=")
            .append(KubeClient.encode(resourceVersion))
            // spread the reconnects of many watchers, as client-go does
            .append("&timeoutSeconds=")
            .append(300 + ThreadLocalRandom.current().nextInt(300));
    if (fieldSelector != null)
      query.append("&fieldSelector=").append(KubeClient.encode(fieldSelector));
    try (InputStream body = client.stream(path + query)) {
      heard = System.nanoTime();
      open = body;
      if (closed) return;
      var lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        heard = System.nanoTime();
        if (!line.isBlank()) apply(KubeClient.JSON.readTree(line));
      }
    } finally {
      open = null;
    }
  }

  /** One watch event. */
  void apply(JsonNode event) {
    String type = event.path("type").asText();
    JsonNode object = event.path("object");
    if (type.equals("ERROR")) {
      int code = object.path("code").asInt();
      throw new KubeClient.Failure(code, object.path("message").asText("watch error"), null);
    }
    String version = object.path("metadata").path("resourceVersion").asText(null);
    switch (type) {
      case "ADDED", "MODIFIED" -> objects.put(name(object), object);
      case "DELETED" -> objects.remove(name(object));
      default -> {} // BOOKMARK: only the resourceVersion moves
    }
    if (version != null) resourceVersion = version;
    if (!type.equals("BOOKMARK")) onChange.run();
  }

  private void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(RETRY_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  @Override
  public void close() {
    closed = true;
    silence.cancel(false);
    watcher.interrupt();
    InputStream body = open;
    if (body != null) quietly(body);
  }

  private static void quietly(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // closing is all that is asked
    }
  }
}

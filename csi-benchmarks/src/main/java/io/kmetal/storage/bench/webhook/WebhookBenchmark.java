package io.kmetal.storage.bench.webhook;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.bench.csi.Latencies;
import io.kmetal.storage.bench.csi.Os;
import io.kmetal.storage.internal.pulumi.WebhookCertificate;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.webhook.QuotaNamespace;
import io.kmetal.storage.testbed.webhook.WebhookCertificates;
import io.kmetal.storage.testbed.webhook.WebhookProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./kmetal bench webhook [seconds]}: admission latency of the packaged quota webhook on
 * loopback at 50, 200 and 500 reviews/s (open loop: latency counts from when a review was due, so a
 * stall is not hidden), for reviews that need no under-cluster call (another class: the quota and
 * claims come from watch-fed caches) beside reviews that change the tenant's ledger (a CREATE
 * reserving, a DELETE releasing: one ConfigMap write per batch), and the raw fabric8 round trip of
 * such a write. Prints; never judges.
 */
public final class WebhookBenchmark {
  private static final String NS = "bench-webhook";
  private static final int[] RATES = {50, 200, 500};
  private static final int KEEP_PENDING = 50;

  private WebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Sandbox sandbox = Sandbox.running();
    Path dir = Files.createTempDirectory("webhook-bench-");
    try (KubernetesClient under = sandbox.under().client();
        var namespace = QuotaNamespace.create(under, NS, "bench-storage", "1Pi")) {
      var issued =
          WebhookCertificate.issue(
              "kmetal-webhook", List.of("127.0.0.1", "localhost"), java.time.Instant.now());
      var certificates =
          WebhookCertificates.write(
              dir.resolve("tls"), issued.caPem(), issued.certificatePem(), issued.keyPem());
      int port = Os.freeLoopbackPort();
      try (var webhook =
          WebhookProcess.start(
              List.of(
                  "--storage-class=tenant-storage-class",
                  "--namespace=" + namespace.namespace(),
                  "--quota=bench-storage",
                  "--ledger=bench-ledger",
                  "--tls-dir=" + certificates.dir(),
                  "--under-kubeconfig=" + sandbox.under().kubeconfig()),
              port,
              certificates.dir().resolve("ca.crt"),
              dir.resolve("webhook.log"))) {
        run(webhook, 100, 3, false); // warm-up: JIT, connections, TLS sessions
        run(webhook, 100, 3, true);
        System.out.printf(
            "%nQuota webhook, admission latency on loopback (%d s per cell, open loop)%n%n",
            seconds);
        System.out.println(
            "| reviews/s | another class p50 / p99 ms | tenant class (reserve, release) p50 / p99 ms | difference p50 / p99 ms | errors |");
        System.out.println("|---|---|---|---|---|");
        for (int rate : RATES) {
          Result cached = run(webhook, rate, seconds, false);
          Result ledger = run(webhook, rate, seconds, true);
          System.out.printf(
              "| %d (%.0f / %.0f achieved) | %.2f / %.2f | %.2f / %.2f | %+.2f / %+.2f | %d / %d |%n",
              rate,
              cached.latencies().perSecond(),
              ledger.latencies().perSecond(),
              cached.latencies().p50(),
              cached.latencies().p99(),
              ledger.latencies().p50(),
              ledger.latencies().p99(),
              ledger.latencies().p50() - cached.latencies().p50(),
              ledger.latencies().p99() - cached.latencies().p99(),
              cached.errors(),
              ledger.errors());
        }
        Latencies raw = rawWrites(under, 500);
        System.out.printf(
            "%nraw fabric8 ConfigMap update (the ledger's write, %d entries, serial): p50 %.2f / p99 %.2f ms%n",
            KEEP_PENDING, raw.p50(), raw.p99());
        System.out.println(
            "(one run on a shared 2-core machine, the API server on the same cores: compare rows, not runs)");
      }
    }
  }

  record Result(Latencies latencies, int errors) {}

  /** Sends {@code rate} reviews a second for {@code seconds}, each due at its own instant. */
  static Result run(WebhookProcess webhook, int rate, int seconds, boolean tenantClass) {
    int n = rate * seconds;
    long[] latency = new long[n];
    var errors = new AtomicInteger();
    List<CompletableFuture<?>> inFlight = new ArrayList<>(n);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime() + 20_000_000L;
    String run = Long.toHexString(start);
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) LockSupport.parkNanos(wait);
      int index = i;
      byte[] body = review(run, i, tenantClass);
      inFlight.add(
          webhook
              .client()
              .sendAsync(
                  HttpRequest.newBuilder(webhook.uri("/validate-pvc/bench?timeout=10s"))
                      .timeout(Duration.ofSeconds(15))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .handle(
                  (r, e) -> {
                    latency[index] = System.nanoTime() - due;
                    if (e != null
                        || r.statusCode() != 200
                        || !r.body().contains("\"allowed\":true")) errors.incrementAndGet();
                    return null;
                  }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    return new Result(new Latencies(latency, System.nanoTime() - start), errors.get());
  }

  /**
   * Review {@code i}: another class's CREATE, or for the tenant's class a CREATE of a new claim
   * (odd i) and the DELETE of the claim created {@link #KEEP_PENDING} reviews before (even i).
   */
  static byte[] review(String run, int i, boolean tenantClass) {
    boolean delete = tenantClass && i % 2 == 0 && i >= 2 * KEEP_PENDING;
    int claim = delete ? i - 2 * KEEP_PENDING + 1 : i;
    String object =
        """
        {"metadata":{"name":"c-%d","namespace":"app","uid":"%s-%d"},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
                 "storageClassName":"%s","volumeMode":"Filesystem"}}"""
            .formatted(claim, run, claim, tenantClass ? "kubevirt" : "local-path");
    String json =
        """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"r-%s-%d",
         "kind":{"group":"","version":"v1","kind":"PersistentVolumeClaim"},
         "resource":{"group":"","version":"v1","resource":"persistentvolumeclaims"},
         "namespace":"app","name":"c-%d","operation":"%s",%s}}"""
            .formatted(
                run,
                i,
                claim,
                delete ? "DELETE" : "CREATE",
                (delete ? "\"oldObject\":" : "\"object\":") + object);
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Serial updates of a ConfigMap as large as the ledger, as the raw API round trip. */
  static Latencies rawWrites(KubernetesClient under, int n) {
    Map<String, String> data = new java.util.TreeMap<>();
    for (int i = 0; i < KEEP_PENDING; i++)
      data.put(
          "0f6a8d3e-2b1c-4e5f-9a7b-" + String.format("%012d", i),
          "1136656384 1795000000 bench app/c-" + i);
    var map =
        under
            .configMaps()
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("bench-raw")
                    .withNamespace(NS)
                    .endMetadata()
                    .withData(data)
                    .build())
            .create();
    long[] nanos = new long[n];
    long wall = System.nanoTime();
    for (int i = 0; i < n; i++) {
      map.getData().put("round", Integer.toString(i));
      long t = System.nanoTime();
      map =
          under
              .configMaps()
              .resource(map)
              .lockResourceVersion(map.getMetadata().getResourceVersion())
              .update();
      nanos[i] = System.nanoTime() - t;
    }
    return new Latencies(nanos, System.nanoTime() - wall);
  }
}

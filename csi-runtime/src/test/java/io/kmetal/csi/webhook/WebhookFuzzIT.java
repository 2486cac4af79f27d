package io.kmetal.csi.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.csi.tls.LoopbackCertificates;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.webhook.QuotaNamespace;
import io.kmetal.storage.testbed.webhook.WebhookProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated malformed and hostile AdmissionReviews (seeded, so a failure replays) against
 * the packaged webhook on the sandbox's under cluster: every one is answered 200 (a decision for
 * its uid), 400 (the reason) or 413 (too large), never a 5xx, and the process stays healthy.
 */
class WebhookFuzzIT {
  private static final int REVIEWS = 10_000;
  private static final long SEED = 20261123L;
  private static final String NS = "fuzz";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KubernetesClient under;
  private static QuotaNamespace namespace;
  private static WebhookProcess webhook;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Sandbox sandbox = Sandbox.running();
    under = sandbox.under().client();
    namespace = QuotaNamespace.create(under, NS, "fuzz-storage", "1Mi");
    dir = Files.createTempDirectory("webhook-fuzz-");
    var certificates = LoopbackCertificates.issue(dir.resolve("tls"), "kmetal-webhook");
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    webhook =
        WebhookProcess.start(
            List.of(
                "--storage-class=tenant-storage-class",
                "--namespace=" + NS,
                "--quota=fuzz-storage",
                "--tls-dir=" + certificates.dir(),
                "--under-kubeconfig=" + sandbox.under().kubeconfig()),
            port,
            certificates.dir().resolve("ca.crt"),
            dir.resolve("webhook.log"));
  }

  @AfterAll
  static void stop() {
    if (webhook != null) webhook.close();
    if (namespace != null) namespace.close();
    if (under != null) under.close();
  }

  @Test
  void everyHostileReviewIsAnsweredWithoutAServerErrorAndTheProcessStaysHealthy() throws Exception {
    byte[] fixture = ReviewsTest.fixture("create-kubevirt-1Gi.json");
    Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
    var problems = new ConcurrentLinkedQueue<String>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> sent = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      sent.add(
          pool.submit(
              () -> {
                Random random = new Random(SEED + thread);
                for (int i = thread; i < REVIEWS; i += 8) {
                  Case c = generate(random, fixture);
                  try {
                    HttpResponse<String> r = webhook.post("/validate-pvc/fuzz-cluster", c.body());
                    byStatus
                        .computeIfAbsent(r.statusCode(), k -> new AtomicInteger())
                        .incrementAndGet();
                    String problem = check(c, r);
                    if (problem != null)
                      problems.add("case " + i + " (" + c.what() + "): " + problem);
                  } catch (Exception e) {
                    problems.add("case " + i + " (" + c.what() + "): " + e);
                  }
                }
                return null;
              }));
    }
    for (var f : sent) f.get();
    pool.shutdown();
    System.out.println(
        "fuzz: " + REVIEWS + " reviews answered by status " + new TreeMap<>(byStatus));
    assertEquals(List.of(), problems.stream().limit(20).toList());
    assertEquals(REVIEWS, byStatus.values().stream().mapToInt(AtomicInteger::get).sum());
    assertTrue(webhook.process().isAlive(), "the webhook process is alive");
    assertEquals(200, webhook.get("/healthz").statusCode());
    // and still decides a real review correctly
    HttpResponse<String> real = webhook.post("/validate-pvc/fuzz-cluster", fixture);
    JsonNode answer = JSON.readTree(real.body());
    assertEquals(false, answer.at("/response/allowed").asBoolean(true));
    assertTrue(
        answer
            .at("/response/status/message")
            .asText()
            .contains("ResourceQuota fuzz/fuzz-storage exhausted"));
  }

  /** What was sent, and the uid a 200 answer must carry (null when there is no string uid). */
  record Case(String what, byte[] body, String uid) {}

  /** Null when the answer is acceptable for the case, else what is wrong. */
  private static String check(Case c, HttpResponse<String> r) throws Exception {
    int s = r.statusCode();
    if (s >= 500) return "HTTP " + s + ": " + r.body();
    if (s == 400 || s == 413) return r.body().isBlank() ? "no reason given" : null;
    if (s != 200) return "HTTP " + s;
    JsonNode answer = JSON.readTree(r.body());
    if (!"AdmissionReview".equals(answer.path("kind").asText())) return "not an AdmissionReview";
    if (c.uid() == null || !c.uid().equals(answer.at("/response/uid").asText()))
      return "answered uid " + answer.at("/response/uid") + ", sent " + c.uid();
    if (!answer.at("/response/allowed").isBoolean()) return "no allowed";
    return null;
  }

  private static final List<String> QUANTITIES =
      List.of(
          "1e999999999",
          "99999999999999999999Ei",
          "-1Gi",
          "",
          " ",
          "NaN",
          "Infinity",
          "0x10",
          "1Gi ",
          "１Gi",
          "1.5.5",
          "9".repeat(10_000),
          "1e-999999",
          "0",
          "1",
          "8Ei",
          "9Ei",
          "1Zi",
          "1gi",
          "+1Gi",
          ".5Gi",
          "1E18",
          "1e3Gi");
  private static final List<String> OPERATIONS =
      List.of("CREATE", "UPDATE", "DELETE", "CONNECT", "create", "PATCH", "", "\u0000");
  private static final List<String> RESOURCES =
      List.of("persistentvolumeclaims", "pods", "configmaps", "persistentvolumes", "");

  static Case generate(Random random, byte[] fixture) throws Exception {
    int kind = random.nextInt(20);
    if (kind == 0) {
      byte[] garbage = new byte[random.nextInt(2048)];
      random.nextBytes(garbage);
      return new Case("random bytes", garbage, null);
    }
    if (kind == 1)
      return new Case(
          "truncated", java.util.Arrays.copyOf(fixture, random.nextInt(fixture.length)), null);
    if (kind == 2 && random.nextInt(50) == 0)
      return new Case("4 MiB body", new byte[4 << 20], null);
    if (kind == 3)
      return new Case("deep nesting", "[".repeat(100_000).getBytes(StandardCharsets.UTF_8), null);
    ObjectNode review = (ObjectNode) JSON.readTree(fixture);
    String uid = "fuzz-" + random.nextLong();
    ((ObjectNode) review.get("request")).put("uid", uid);
    List<String> done = new ArrayList<>();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) done.add(mutate(random, review));
    JsonNode sentUid = review.at("/request/uid");
    boolean envelopeOk =
        "AdmissionReview".equals(review.path("kind").textValue())
            && "admission.k8s.io/v1".equals(review.path("apiVersion").textValue())
            && review.path("request").isObject();
    return new Case(
        String.join(", ", done),
        JSON.writeValueAsBytes(review),
        envelopeOk && sentUid.isTextual() && !sentUid.textValue().isBlank()
            ? sentUid.textValue()
            : null);
  }

  private static String mutate(Random random, ObjectNode review) {
    ObjectNode request =
        review.get("request") instanceof ObjectNode r ? r : review.putObject("request");
    ObjectNode object =
        request.get("object") instanceof ObjectNode o ? o : request.putObject("object");
    ObjectNode spec = object.get("spec") instanceof ObjectNode s ? s : object.putObject("spec");
    switch (random.nextInt(12)) {
      case 0 -> {
        String q = QUANTITIES.get(random.nextInt(QUANTITIES.size()));
        spec.putObject("resources").putObject("requests").put("storage", q);
        return "storage " + (q.length() > 20 ? q.substring(0, 20) + "…" : q);
      }
      case 1 -> {
        String op = OPERATIONS.get(random.nextInt(OPERATIONS.size()));
        request.put("operation", op);
        if (op.equals("UPDATE") || op.equals("DELETE")) request.set("oldObject", object.deepCopy());
        return "operation " + op;
      }
      case 2 -> {
        review.put("apiVersion", random.nextBoolean() ? "admission.k8s.io/v1beta1" : "v1");
        return "apiVersion";
      }
      case 3 -> {
        review.put("kind", random.nextBoolean() ? "Pod" : "");
        return "kind";
      }
      case 4 -> {
        String field =
            List.of("uid", "object", "resource", "operation", "namespace", "name")
                .get(random.nextInt(6));
        request.remove(field);
        return "no request." + field;
      }
      case 5 -> {
        String field = List.of("metadata", "spec", "kind").get(random.nextInt(3));
        object.remove(field);
        return "no object." + field;
      }
      case 6 -> {
        request
            .putObject("resource")
            .put("group", "")
            .put("version", "v1")
            .put("resource", RESOURCES.get(random.nextInt(RESOURCES.size())));
        return "resource";
      }
      case 7 -> {
        JsonNode value = randomValue(random, 0);
        String field =
            List.of("uid", "operation", "object", "resource", "oldObject").get(random.nextInt(5));
        request.set(field, value);
        return "request." + field + " = " + value.getNodeType();
      }
      case 8 -> {
        spec.set(
            List.of("storageClassName", "volumeMode", "resources").get(random.nextInt(3)),
            randomValue(random, 0));
        return "spec field of another type";
      }
      case 9 -> {
        spec.put(
            "storageClassName",
            random.nextBoolean() ? "kubevirt" : "x".repeat(random.nextInt(300_000)));
        return "storageClassName";
      }
      case 10 -> {
        Iterator<String> names = review.fieldNames();
        if (names.hasNext()) review.remove(names.next());
        return "top-level field removed";
      }
      default -> {
        review.set("request", randomValue(random, 0));
        return "request replaced";
      }
    }
  }

  private static JsonNode randomValue(Random random, int depth) {
    return switch (depth > 3 ? random.nextInt(5) : random.nextInt(7)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(new java.math.BigDecimal("1e" + random.nextInt(60)));
      case 4 -> NODES.textNode("s" + random.nextInt());
      case 5 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) a.add(randomValue(random, depth + 1));
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) o.set("k" + i, randomValue(random, depth + 1));
        yield o;
      }
    };
  }
}

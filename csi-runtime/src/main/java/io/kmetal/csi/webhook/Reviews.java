package io.kmetal.csi.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** {@code admission.k8s.io/v1} AdmissionReview in and out, strict about what it reads. */
final class Reviews {
  static final String API_VERSION = "admission.k8s.io/v1";
  private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  /** Limits well above any real claim and well below what a hostile body could cost. */
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(64)
                      .maxNumberLength(64)
                      .maxStringLength(1 << 20)
                      .build())
              .build());

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Reviews() {}

  /** The review in {@code body}, sent by tenant cluster {@code cluster}. */
  static Review parse(byte[] body, String cluster) throws BadReview {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new BadReview(null, "the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadReview(null, "the body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject())
      throw new BadReview(null, "the body is not a JSON object (want an AdmissionReview)");
    String apiVersion = text(root, "apiVersion", null);
    String kind = text(root, "kind", null);
    if (!"AdmissionReview".equals(kind) || !API_VERSION.equals(apiVersion))
      throw new BadReview(
          null,
          "want kind AdmissionReview, apiVersion "
              + API_VERSION
              + " (got "
              + Bytes.shorten(String.valueOf(kind))
              + ", "
              + Bytes.shorten(String.valueOf(apiVersion))
              + "): set admissionReviewVersions: [v1]");
    JsonNode request = root.get("request");
    if (request == null || !request.isObject())
      throw new BadReview(null, "the AdmissionReview has no request");
    String uid = text(request, "uid", null);
    if (uid == null || uid.isBlank()) throw new BadReview(null, "request.uid is missing");
    String operation = text(request, "operation", uid);
    if (operation == null || !OPERATIONS.contains(operation))
      throw new BadReview(
          uid,
          "request.operation "
              + Bytes.shorten(String.valueOf(operation))
              + " is not one of CREATE, UPDATE, DELETE, CONNECT");
    JsonNode gvr = request.get("resource");
    if (gvr == null || !gvr.isObject()) throw new BadReview(uid, "request.resource is missing");
    String resource =
        text(gvr, "group", uid)
            + "/"
            + text(gvr, "version", uid)
            + "/"
            + text(gvr, "resource", uid);
    boolean dryRun = request.path("dryRun").asBoolean(false);
    if (Review.SNAPSHOTS.equals(resource)
        && ("CREATE".equals(operation) || "DELETE".equals(operation))) {
      String field = "CREATE".equals(operation) ? "object" : "oldObject";
      return new Review(
          uid, cluster, operation, resource, null, null, dryRun, snapshot(request, field, uid));
    }
    if (!Review.CLAIMS.equals(resource) || "CONNECT".equals(operation))
      return new Review(uid, cluster, operation, resource, null, null, dryRun);
    Claim object = "DELETE".equals(operation) ? null : claim(request, "object", uid);
    Claim old = "CREATE".equals(operation) ? null : claim(request, "oldObject", uid);
    return new Review(uid, cluster, operation, resource, object, old, dryRun);
  }

  /** The object a review carries in {@code field}: its metadata, spec and namespace/name. */
  private record Carried(JsonNode meta, JsonNode spec, String namespace, String name) {}

  private static Carried carried(JsonNode request, String field, String uid) throws BadReview {
    JsonNode o = request.get(field);
    if (o == null || !o.isObject()) throw new BadReview(uid, "request." + field + " is missing");
    JsonNode meta = object(o, "metadata", "request." + field + ".metadata", uid);
    JsonNode spec = object(o, "spec", "request." + field + ".spec", uid);
    String namespace = text(meta, "namespace", uid);
    if (namespace == null) namespace = text(request, "namespace", uid);
    String name = text(meta, "name", uid);
    if (name == null) name = text(request, "name", uid);
    if (namespace == null || name == null)
      throw new BadReview(uid, "request." + field + " names no namespace/name");
    return new Carried(meta, spec, namespace, name);
  }

  private static Claim claim(JsonNode request, String field, String uid) throws BadReview {
    Carried c = carried(request, field, uid);
    JsonNode resources = c.spec().get("resources");
    JsonNode requests = resources == null ? null : resources.get("requests");
    String storage = requests == null ? null : text(requests, "storage", uid);
    String at = "request." + field + ".spec.resources.requests.storage";
    long bytes;
    try {
      bytes = Bytes.parse(storage, at);
    } catch (IllegalArgumentException e) {
      throw new BadReview(uid, e.getMessage());
    }
    return new Claim(
        orEmpty(text(c.meta(), "uid", uid)),
        c.namespace(),
        c.name(),
        orEmpty(text(c.spec(), "storageClassName", uid)),
        "Block".equals(text(c.spec(), "volumeMode", uid)),
        bytes);
  }

  private static TenantSnapshot snapshot(JsonNode request, String field, String uid)
      throws BadReview {
    Carried c = carried(request, field, uid);
    JsonNode source = object(c.spec(), "source", "request." + field + ".spec.source", uid);
    return new TenantSnapshot(
        orEmpty(text(c.meta(), "uid", uid)),
        c.namespace(),
        c.name(),
        orEmpty(text(c.spec(), "volumeSnapshotClassName", uid)),
        text(source, "persistentVolumeClaimName", uid) != null);
  }

  private static JsonNode object(JsonNode parent, String field, String path, String uid)
      throws BadReview {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) throw new BadReview(uid, path + " is missing");
    return node;
  }

  /** A string field, null when absent or null; any other type is an error naming the field. */
  private static String text(JsonNode parent, String field, String uid) throws BadReview {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) return null;
    if (!node.isTextual())
      throw new BadReview(
          uid, field + " is a " + node.getNodeType().name().toLowerCase() + ", want a string");
    return node.textValue();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The AdmissionReview answering {@code uid}. */
  static byte[] response(String uid, Decision d) {
    ObjectNode root = NODES.objectNode();
    root.put("apiVersion", API_VERSION).put("kind", "AdmissionReview");
    ObjectNode response = root.putObject("response");
    response.put("uid", uid).put("allowed", d.allowed());
    if (!d.allowed())
      response
          .putObject("status")
          .put("code", d.code())
          .put("reason", d.reason())
          .put("message", d.message());
    if (!d.warnings().isEmpty()) {
      var warnings = response.putArray("warnings");
      d.warnings().forEach(warnings::add);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JacksonException e) {
      throw new IllegalStateException("an AdmissionReview always serializes", e);
    }
  }
}

package io.kmetal.csi.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReviewsTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = ReviewsTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsTheClaimOfACreateReviewAsTheApiServerSendsIt() throws Exception {
    Review r = Reviews.parse(fixture("create-kubevirt-1Gi.json"), "alpha-prod");
    assertEquals("CREATE", r.operation());
    assertTrue(r.isClaim());
    assertEquals(
        new Claim(
            "0f6a8d3e-2b1c-4e5f-9a7b-1c2d3e4f5a6b", "app", "data", "kubevirt", false, 1L << 30),
        r.object());
    assertNull(r.oldObject());
    assertFalse(r.dryRun());
  }

  @Test
  void readsTheSnapshotOfACreateReviewAndItsUnderName() throws Exception {
    Review r = Reviews.parse(fixture("create-snapshot.json"), "alpha-prod");
    assertTrue(r.isSnapshot());
    assertEquals(
        new TenantSnapshot(
            "3c9e1f70-5d2a-4b8c-8e1f-2a3b4c5d6e7f", "app", "nightly", "kubevirt-snapshot", true),
        r.snapshot());
    assertEquals("snapshot-3c9e1f70-5d2a-4b8c-8e1f-2a3b4c5d6e7f", r.admittedKey());
    String body =
        new String(fixture("create-snapshot.json"), java.nio.charset.StandardCharsets.UTF_8)
            .replace(
                "\"persistentVolumeClaimName\": \"data\"", "\"volumeSnapshotContentName\": \"c\"");
    Review bound = Reviews.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "a");
    assertFalse(bound.snapshot().fromClaim(), body);
  }

  @Test
  void readsAServerSideDryRun() throws Exception {
    String body =
        new String(fixture("create-kubevirt-1Gi.json"), java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"dryRun\": false", "\"dryRun\": true");
    Review r = Reviews.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "alpha-prod");
    assertTrue(r.dryRun(), body);
  }

  @Test
  void readsBothSidesOfAnUpdateAndTheOldSideOfADelete() throws Exception {
    Review grow = Reviews.parse(fixture("update-grow-to-2Gi.json"), "c");
    assertEquals(2L << 30, grow.object().requestBytes());
    assertEquals(1L << 30, grow.oldObject().requestBytes());
    Review delete = Reviews.parse(fixture("delete.json"), "c");
    assertNull(delete.object());
    assertEquals("data", delete.oldObject().name());
    assertTrue(Reviews.parse(fixture("create-block.json"), "c").object().block());
  }

  static Stream<Arguments> envelopes() {
    return Stream.of(
        Arguments.of("not json", "the body is not JSON"),
        Arguments.of("[]", "not a JSON object"),
        Arguments.of(
            "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1beta1\"}",
            "set admissionReviewVersions: [v1]"),
        Arguments.of(
            "{\"kind\":\"Pod\",\"apiVersion\":\"admission.k8s.io/v1\"}",
            "want kind AdmissionReview"),
        Arguments.of(
            "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\"}",
            "has no request"),
        Arguments.of(
            "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{}}",
            "request.uid is missing"),
        Arguments.of(
            "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":7}}",
            "uid is a number, want a string"),
        Arguments.of("[".repeat(5000), "the body is not JSON"));
  }

  @ParameterizedTest
  @MethodSource("envelopes")
  void anUnreadableEnvelopeIsRejectedWithTheReasonAndNoUid(String body, String reason) {
    BadReview bad =
        assertThrows(
            BadReview.class, () -> Reviews.parse(body.getBytes(StandardCharsets.UTF_8), "c"));
    assertNull(bad.uid());
    assertTrue(bad.getMessage().contains(reason), bad.getMessage());
  }

  static Stream<Arguments> claims() {
    return Stream.of(
        Arguments.of("create-hostile-quantity.json", "is not a Kubernetes quantity"),
        Arguments.of("v1beta1-review.json", "admissionReviewVersions"));
  }

  @Test
  void aBadClaimInAReadableReviewIsRefusedNamingTheField() throws Exception {
    BadReview bad =
        assertThrows(
            BadReview.class, () -> Reviews.parse(fixture("create-hostile-quantity.json"), "c"));
    assertEquals("705ab4f5-6393-11e8-b7cc-42010a800002", bad.uid());
    assertEquals(
        "request.object.spec.resources.requests.storage 1e999999999 is not a Kubernetes quantity"
            + " (e.g. 10Gi)",
        bad.getMessage());
    for (String q : List.of("-1Gi", "99999999Ei", "1.5.5Gi", "NaN", "1e40"))
      assertThrows(IllegalArgumentException.class, () -> Bytes.parse(q, "storage"), q);
    assertEquals(1_500_000_000L, Bytes.parse("1.5G", "storage"));
    assertEquals(1L, Bytes.parse("1m", "storage")); // rounded up to a whole byte
  }

  @Test
  void answersAsAdmissionReviewV1WithStatusForARefusal() throws Exception {
    JsonNode r =
        new ObjectMapper()
            .readTree(
                Reviews.response(
                    "abc",
                    Decision.forbidden(
                        "ResourceQuota x exhausted", List.of(Decision.Refusal.STORAGE))));
    assertEquals("admission.k8s.io/v1", r.get("apiVersion").asText());
    assertEquals("AdmissionReview", r.get("kind").asText());
    assertEquals("abc", r.at("/response/uid").asText());
    assertEquals(false, r.at("/response/allowed").asBoolean());
    assertEquals(403, r.at("/response/status/code").asInt());
    assertEquals("ResourceQuota x exhausted", r.at("/response/status/message").asText());
    JsonNode allowed =
        new ObjectMapper().readTree(Reviews.response("abc", Decision.allowWithWarning("w")));
    assertTrue(allowed.at("/response/status").isMissingNode());
    assertEquals("w", allowed.at("/response/warnings/0").asText());
  }

  @Test
  void printsSizesForPeople() {
    assertEquals("1.06Gi", Bytes.human(1136226066L));
    assertEquals("512Mi", Bytes.human(512L << 20));
    assertEquals("0", Bytes.human(0));
  }
}

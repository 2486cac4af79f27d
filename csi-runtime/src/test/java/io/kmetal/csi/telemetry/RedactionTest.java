package io.kmetal.csi.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedactionTest {
  static Stream<Message> requestsWithSecrets() {
    return Stream.of(
        CreateVolumeRequest.newBuilder()
            .setName("pvc-1")
            .putSecrets("token", "s3cr3t-token")
            .putParameters("infraStorageClassName", "fast")
            .addVolumeCapabilities(
                VolumeCapability.newBuilder()
                    .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4")))
            .build(),
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId("pvc-2")
            .setStagingTargetPath("/staging")
            .putSecrets("password", "s3cr3t-token")
            .build());
  }

  @ParameterizedTest
  @MethodSource("requestsWithSecrets")
  void secretsAreClearedAndEverythingElseKept(Message request) {
    Message stripped = Redaction.strip(request);

    String logged = TextFormat.shortDebugString(stripped);
    assertFalse(logged.contains("s3cr3t-token"), logged);
    assertTrue(TextFormat.shortDebugString(request).contains("s3cr3t-token"));
    assertEquals(
        request.toBuilder()
            .clearField(request.getDescriptorForType().findFieldByName("secrets"))
            .build(),
        stripped);
  }
}

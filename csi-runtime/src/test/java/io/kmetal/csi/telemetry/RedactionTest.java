package io.kmetal.csi.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.MessageLite;
import csi.v1.Csi;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.NodeStageVolumeRequest;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.VolumeCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedactionTest {
  /** csi.proto as the spec publishes it, options and all (the build's fetch step). */
  private static final Path SPEC = Path.of("target/csi-spec/csi.proto");

  private static final String SECRET = "s3cr3t-token";

  @Test
  void everyFieldTheSpecMarksSecretIsARequestsSecretsMap() throws IOException {
    String spec = Files.readString(SPEC);
    int marked = 0;
    for (int at = spec.indexOf("(csi_secret) = true"); at >= 0; ) {
      int start = Math.max(spec.lastIndexOf(';', at), spec.lastIndexOf('{', at)) + 1;
      String field =
          spec.substring(start, at)
              .lines()
              .filter(line -> !line.strip().startsWith("//"))
              .collect(Collectors.joining(" "))
              .strip();
      assertTrue(field.startsWith("map<string, string> secrets = "), field);
      marked++;
      at = spec.indexOf("(csi_secret) = true", at + 1);
    }
    assertTrue(marked > 10, "csi_secret fields found: " + marked);
    assertEquals(marked, secretHolders().count(), "messages with a secrets map");
  }

  /** Every generated message class with a {@code secrets} map, nested ones included. */
  static Stream<Class<?>> secretHolders() {
    List<Class<?>> all = new ArrayList<>();
    collect(Csi.class, all);
    return all.stream().filter(RedactionTest::hasSecrets);
  }

  @ParameterizedTest
  @MethodSource("secretHolders")
  void aSecretNeverReachesTheLogLine(Class<?> type) throws Exception {
    Object builder = type.getMethod("newBuilder").invoke(null);
    builder
        .getClass()
        .getMethod("putSecrets", String.class, String.class)
        .invoke(builder, "k", SECRET);
    MessageLite request = (MessageLite) builder.getClass().getMethod("build").invoke(builder);
    assertTrue(request.toString().contains(SECRET), "the secret is set");

    String logged = Redaction.logLine(request);

    assertFalse(logged.contains(SECRET), logged);
  }

  static Stream<MessageLite> requestsWithSecrets() {
    return Stream.of(
        CreateVolumeRequest.newBuilder()
            .setName("pvc-1")
            .putSecrets("token", SECRET)
            .putParameters("infraStorageClassName", "fast")
            .addVolumeCapabilities(
                VolumeCapability.newBuilder()
                    .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4")))
            .build(),
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId("pvc-2")
            .setStagingTargetPath("/staging")
            .putSecrets("password", SECRET)
            .build());
  }

  @ParameterizedTest
  @MethodSource("requestsWithSecrets")
  void everythingButTheSecretsIsKept(MessageLite request) throws Exception {
    MessageLite stripped = Redaction.strip(request);

    MessageLite.Builder expected = request.toBuilder();
    expected.getClass().getMethod("clearSecrets").invoke(expected);
    assertEquals(expected.build(), stripped);
  }

  @Test
  void theLogLineIsOneLineOfFields() {
    String logged =
        Redaction.logLine(
            NodeStageVolumeRequest.newBuilder()
                .setVolumeId("pvc-2")
                .setStagingTargetPath("/staging")
                .putSecrets("password", SECRET)
                .build());

    assertEquals("staging_target_path: \"/staging\" volume_id: \"pvc-2\"", logged);
  }

  @Test
  void aMessageWithoutSecretsIsLeftAsItIs() {
    ProbeRequest probe = ProbeRequest.getDefaultInstance();
    assertSame(probe, Redaction.strip(probe));
    assertEquals("", Redaction.logLine(probe));
  }

  private static void collect(Class<?> outer, List<Class<?>> into) {
    for (Class<?> nested : outer.getDeclaredClasses()) {
      if (MessageLite.class.isAssignableFrom(nested) && !nested.isInterface()) into.add(nested);
      collect(nested, into);
    }
  }

  private static boolean hasSecrets(Class<?> type) {
    try {
      type.getMethod("getSecretsMap");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}

package io.kmetal.csi.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link KubeApi} takes from a kubeconfig, and what it refuses naming the reason. */
class KubeApiTest {
  @TempDir Path dir;

  private Path kubeconfig(String user) throws IOException {
    return Files.writeString(
        dir.resolve("config"),
        """
        apiVersion: v1
        kind: Config
        current-context: tenant
        contexts:
          - {name: other, context: {cluster: other, user: other}}
          - {name: tenant, context: {cluster: tenant, user: plugin}}
        clusters:
          - {name: tenant, cluster: {server: "https://198.18.0.1:6443"}}
        users:
          - name: plugin
            user: %s
        """
            .formatted(user));
  }

  @Test
  void aTokenFileIsReadAfreshForEveryRequest() throws Exception {
    Files.writeString(dir.resolve("token"), "first\n");
    var api = KubeApi.fromKubeconfig(kubeconfig("{tokenFile: token}"));

    assertEquals("first", api.token().orElseThrow());
    Files.writeString(dir.resolve("token"), "rotated\n");
    assertEquals("rotated", api.token().orElseThrow());
    assertEquals("https://198.18.0.1:6443", api.server().toString());
  }

  @Test
  void aUserThatRunsAPluginIsRefusedNamingWhatToGive() throws Exception {
    var e =
        assertThrows(
            IOException.class, () -> KubeApi.fromKubeconfig(kubeconfig("{exec: {command: aws}}")));
    assertTrue(e.getMessage().contains("user plugin authenticates with exec"), e.getMessage());
    assertTrue(e.getMessage().contains("token, tokenFile or client certificate"), e.getMessage());
  }

  @Test
  void aContextNamingAMissingClusterIsRefusedNamingIt() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("config"),
            """
            current-context: gone
            contexts: [{name: gone, context: {cluster: nowhere, user: plugin}}]
            clusters: []
            users: [{name: plugin, user: {token: t}}]
            """);
    var e = assertThrows(IOException.class, () -> KubeApi.fromKubeconfig(config));
    assertTrue(e.getMessage().endsWith("no entry \"nowhere\" in clusters"), e.getMessage());
  }

  @Test
  void aCertificateAuthorityThatIsNoPemIsRefusedNamingTheFile() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("config"),
            """
            current-context: c
            contexts: [{name: c, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "https://198.18.0.1:6443", certificate-authority-data: bm90IGEgY2VydA==}}]
            users: [{name: u, user: {token: t}}]
            """);
    var e = assertThrows(IOException.class, () -> KubeApi.fromKubeconfig(config));
    assertTrue(
        e.getMessage().contains("certificate authority holds no PEM certificate"), e.getMessage());
  }
}

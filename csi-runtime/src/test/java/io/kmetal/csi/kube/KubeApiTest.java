package io.kmetal.csi.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
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
  void aUserOfALegacyAuthProviderIsRefusedNamingWhatToGive() throws Exception {
    var e =
        assertThrows(
            IOException.class,
            () -> KubeApi.fromKubeconfig(kubeconfig("{auth-provider: {name: oidc}}")));
    assertTrue(
        e.getMessage().contains("user plugin authenticates with auth-provider"), e.getMessage());
    assertTrue(
        e.getMessage().contains("token, tokenFile, exec plugin or client certificate"),
        e.getMessage());
  }

  /** A stand-in credential plugin: counts its runs, checks what kubectl would pass it. */
  private Path plugin(String expires) throws IOException {
    Path script =
        Files.writeString(
            dir.resolve("get-token.sh"),
            """
            #!/bin/sh
            echo run >> "$(dirname "$0")/runs"
            case "$KUBERNETES_EXEC_INFO" in *'"interactive":false'*) ;; *) exit 3 ;; esac
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",\
            "status":{"token":"%s-%s"EXPIRES}}' "$CLUSTER" "$1"
            """
                .replace("EXPIRES", expires));
    script.toFile().setExecutable(true);
    return script;
  }

  private long runs() throws IOException {
    Path runs = dir.resolve("runs");
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  @Test
  void anExecPluginsTokenIsKeptUntilItExpires() throws Exception {
    plugin("");
    var api =
        KubeApi.fromKubeconfig(
            kubeconfig(
                "{exec: {apiVersion: client.authentication.k8s.io/v1, command: ./get-token.sh,"
                    + " args: [prod], env: [{name: CLUSTER, value: eu}]}}"));

    assertEquals("eu-prod", api.token().orElseThrow());
    assertEquals("eu-prod", api.token().orElseThrow());
    assertEquals(1, runs(), "a token without expiry is asked for once");
  }

  @Test
  void anExpiredExecTokenIsAskedForAgain() throws Exception {
    plugin(",\"expirationTimestamp\":\"2020-01-01T00:00:00Z\"");
    var api = KubeApi.fromKubeconfig(kubeconfig("{exec: {command: ./get-token.sh, args: [a]}}"));

    api.token();
    api.token();
    assertEquals(2, runs());
  }

  @Test
  void aFailingExecPluginIsReportedWithItsMessage() throws Exception {
    Path script =
        Files.writeString(dir.resolve("fail.sh"), "#!/bin/sh\necho 'not logged in' >&2\nexit 1\n");
    script.toFile().setExecutable(true);
    var api = KubeApi.fromKubeconfig(kubeconfig("{exec: {command: ./fail.sh}}"));

    var e = assertThrows(IOException.class, api::token);
    assertTrue(e.getMessage().endsWith("fail.sh exited 1: not logged in"), e.getMessage());
  }

  @Test
  void withoutAKubeconfigOutsideAPodTheFirstFileOfKubeconfigIsUsedThenTheHomeOne()
      throws Exception {
    Path first = Files.writeString(dir.resolve("first"), "");
    Path home = Files.createDirectories(dir.resolve("home/.kube"));
    assertEquals(
        java.util.Optional.of(first),
        KubeApi.defaultKubeconfig(dir.resolve("missing") + ":" + first, dir.toString()));
    assertEquals(
        java.util.Optional.empty(),
        KubeApi.defaultKubeconfig(null, dir.resolve("home").toString()));
    Path standard = Files.writeString(home.resolve("config"), "");
    assertEquals(
        java.util.Optional.of(standard),
        KubeApi.defaultKubeconfig(null, dir.resolve("home").toString()));
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

  @Test
  void aClusterWithoutACertificateAuthorityIsRefusedWhereTheRuntimeTrustsNoRoots()
      throws Exception {
    var none = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore empty = KeyStore.getInstance(KeyStore.getDefaultType());
    empty.load(null, null);
    none.init(empty);
    var e =
        assertThrows(
            IOException.class, () -> KubeApi.requireRoots(none.getTrustManagers(), "config"));
    assertTrue(
        e.getMessage().startsWith("config: the cluster has no certificate-authority-data"),
        e.getMessage());

    var jdks = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdks.init((KeyStore) null); // this JDK's own roots
    KubeApi.requireRoots(jdks.getTrustManagers(), "config");
  }

  private Path kubeconfigFor(String server) throws IOException {
    return KubeFake.kubeconfig(dir.resolve("plain"), server);
  }

  @Test
  void aPlainHttpServerIsReadWithoutTls() throws Exception {
    try (var fake = KubeFake.answering(200, "{\"kind\":\"Node\",\"metadata\":{\"name\":\"w1\"}}")) {
      var api = KubeApi.fromKubeconfig(kubeconfigFor(fake.uri().toString()));

      var node = api.get("/api/v1/nodes/w1").orElseThrow();

      assertEquals("w1", node.text(JsonDocument.pointer("metadata", "name")).orElseThrow());
      assertEquals(List.of("GET /api/v1/nodes/w1"), fake.requests());
    }
  }

  @Test
  void aServerThatIsNoHttpAddressIsRefusedNamingIt() throws Exception {
    var e =
        assertThrows(
            IOException.class,
            () -> KubeApi.fromKubeconfig(kubeconfigFor("unix:///run/apiserver.sock")));
    assertTrue(
        e.getMessage().contains("server unix:///run/apiserver.sock is not an https://"),
        e.getMessage());
  }
}

package io.kmetal.csi.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kmetal.csi.tls.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Reads from one API server with the JDK's own HTTP(S) connection and Jackson's streaming parser:
 * for a process that needs a GET or two (the node plugin reads its Node once). {@link KubeClient}
 * reads the same configuration for the processes that write and watch. From a kubeconfig (its
 * current context; a token, a token file or a client certificate) or the pod's service account (its
 * token read afresh for each request, as projected tokens rotate).
 */
public final class KubeApi {
  static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  /** Where the bearer token comes from for each request; none for a client certificate. */
  @FunctionalInterface
  interface Token {
    Optional<String> read() throws IOException;
  }

  private final URI server;
  private final SSLContext tls;
  private final Token token;

  KubeApi(URI server, SSLContext tls, Token token) {
    this.server = server;
    this.tls = tls;
    this.token = token;
  }

  URI server() {
    return server;
  }

  /** The TLS to speak, null for a plain {@code http://} server. */
  SSLContext tls() {
    return tls;
  }

  private static boolean plainHttp(URI server) {
    return "http".equals(server.getScheme());
  }

  Optional<String> token() throws IOException {
    return token.read();
  }

  /**
   * From {@code kubeconfig}; when it is null, the pod's service account in a pod, elsewhere the
   * kubeconfig {@code $KUBECONFIG} names first, or {@code ~/.kube/config}, as kubectl finds it.
   */
  public static KubeApi of(Path kubeconfig) throws IOException {
    if (kubeconfig != null) return fromKubeconfig(kubeconfig);
    if (System.getenv("KUBERNETES_SERVICE_HOST") != null) return inCluster();
    Optional<Path> found =
        defaultKubeconfig(System.getenv("KUBECONFIG"), System.getProperty("user.home"));
    if (found.isPresent()) return fromKubeconfig(found.get());
    throw new IOException(
        "no --kubeconfig, none in $KUBECONFIG or ~/.kube/config, and not in a pod"
            + " (KUBERNETES_SERVICE_HOST is not set)");
  }

  /** The first file {@code $KUBECONFIG} lists, else {@code ~/.kube/config}, if it exists. */
  static Optional<Path> defaultKubeconfig(String kubeconfigVariable, String home) {
    if (kubeconfigVariable != null)
      for (String entry : kubeconfigVariable.split(java.io.File.pathSeparator))
        if (!entry.isBlank() && Files.isRegularFile(Path.of(entry)))
          return Optional.of(Path.of(entry));
    Path standard = Path.of(home, ".kube", "config");
    return Files.isRegularFile(standard) ? Optional.of(standard) : Optional.empty();
  }

  /**
   * The object at {@code path} ({@code /api/v1/nodes/n}), empty when the API server answers 404.
   *
   * @throws IOException naming the status and the API server's message for any other refusal
   */
  public Optional<JsonDocument> get(String path) throws IOException {
    var connection = (HttpURLConnection) server.resolve(path).toURL().openConnection();
    try {
      if (connection instanceof HttpsURLConnection https)
        https.setSSLSocketFactory(tls.getSocketFactory());
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout(30_000);
      connection.setRequestProperty("Accept", "application/json");
      Optional<String> bearer = token.read();
      if (bearer.isPresent())
        connection.setRequestProperty("Authorization", "Bearer " + bearer.get());
      int status = connection.getResponseCode();
      if (status == HttpURLConnection.HTTP_NOT_FOUND) return Optional.empty();
      if (status != HttpURLConnection.HTTP_OK)
        throw new IOException(
            "GET " + path + ": HTTP " + status + ": " + message(connection.getErrorStream()));
      try (InputStream body = connection.getInputStream()) {
        return Optional.of(new JsonDocument(body.readAllBytes()));
      }
    } finally {
      connection.disconnect();
    }
  }

  /** The Status object's message, or the body as it came. */
  private static String message(InputStream error) throws IOException {
    if (error == null) return "(no body)";
    try (error) {
      byte[] body = error.readAllBytes();
      String text = new String(body, StandardCharsets.UTF_8);
      try {
        return new JsonDocument(body).text(JsonDocument.pointer("message")).orElse(text);
      } catch (UncheckedIOException notJson) {
        return text;
      }
    }
  }

  static KubeApi inCluster() throws IOException {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || port == null)
      throw new IOException(
          "no --kubeconfig and not in a pod: KUBERNETES_SERVICE_HOST/PORT are not set");
    Path tokenFile = SERVICE_ACCOUNT.resolve("token");
    return new KubeApi(
        URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port),
        tls(
            Files.readString(SERVICE_ACCOUNT.resolve("ca.crt")),
            null,
            null,
            "the service account's ca.crt"),
        () -> Optional.of(Files.readString(tokenFile).strip()));
  }

  static KubeApi fromKubeconfig(Path file) throws IOException {
    JsonNode config = new YAMLMapper().readTree(file.toFile());
    String context = config.path("current-context").asText();
    JsonNode names = named(config, "contexts", context, file).path("context");
    JsonNode cluster =
        named(config, "clusters", names.path("cluster").asText(), file).path("cluster");
    JsonNode user = named(config, "users", names.path("user").asText(), file).path("user");
    Path dir = file.toAbsolutePath().getParent();
    for (String unsupported : List.of("auth-provider", "username"))
      if (user.has(unsupported))
        throw new IOException(
            file
                + ": user "
                + names.path("user").asText()
                + " authenticates with "
                + unsupported
                + "; give a token, tokenFile, exec plugin or client certificate");
    String ca = pem(cluster, "certificate-authority", dir);
    String cert = pem(user, "client-certificate", dir);
    String key = pem(user, "client-key", dir);
    Token token;
    if (user.hasNonNull("token")) {
      String fixed = user.get("token").asText();
      token = () -> Optional.of(fixed);
    } else if (user.hasNonNull("tokenFile")) {
      Path tokenFile = dir.resolve(user.get("tokenFile").asText());
      token = () -> Optional.of(Files.readString(tokenFile).strip());
    } else if (user.hasNonNull("exec")) {
      try {
        token = ExecCredential.of(user.get("exec"), dir, java.time.Clock.systemUTC());
      } catch (IOException e) {
        throw new IOException(
            file + ": user " + names.path("user").asText() + ": " + e.getMessage(), e);
      }
    } else {
      token = Optional::empty;
    }
    String server = cluster.path("server").asText();
    if (server.isEmpty())
      throw new IOException(file + ": cluster of context " + context + " has no server");
    URI serverUri = URI.create(server);
    if (!plainHttp(serverUri) && !"https".equals(serverUri.getScheme()))
      throw new IOException(
          file
              + ": cluster of context "
              + context
              + ": server "
              + server
              + " is not an https:// (or http://) address");
    SSLContext tls = plainHttp(serverUri) ? null : tls(ca, cert, key, file.toString());
    return new KubeApi(serverUri, tls, token);
  }

  private static JsonNode named(JsonNode config, String list, String name, Path file)
      throws IOException {
    for (JsonNode entry : config.path(list))
      if (name.equals(entry.path("name").asText())) return entry;
    throw new IOException(file + ": no entry \"" + name + "\" in " + list);
  }

  /** {@code <field>-data} (base64 PEM) or {@code <field>} (a file); null when neither. */
  private static String pem(JsonNode section, String field, Path dir) throws IOException {
    if (section.hasNonNull(field + "-data"))
      return new String(
          Base64.getMimeDecoder().decode(section.get(field + "-data").asText()),
          StandardCharsets.US_ASCII);
    if (section.hasNonNull(field))
      return Files.readString(dir.resolve(section.get(field).asText()));
    return null;
  }

  /**
   * Fails when a cluster names no certificate authority and the JVM has no roots of its own to fall
   * back on, as in the driver images, which leave the JDK's out: a handshake would fail later with
   * only "handshake_failure" to go on.
   */
  static void requireRoots(TrustManager[] managers, String where) throws IOException {
    for (TrustManager manager : managers)
      if (manager instanceof X509TrustManager x509 && x509.getAcceptedIssuers().length > 0) return;
    throw new IOException(
        where
            + ": the cluster has no certificate-authority-data or certificate-authority, and this"
            + " Java runtime trusts no public roots (the driver images carry none): give the"
            + " cluster's CA");
  }

  /**
   * Trusts {@code ca} (the JDK's roots when null) and presents {@code cert}+{@code key} if given.
   */
  private static SSLContext tls(String ca, String cert, String key, String where)
      throws IOException {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (ca == null) {
        trust.init((KeyStore) null);
        requireRoots(trust.getTrustManagers(), where);
      } else {
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        int i = 0;
        for (X509Certificate c : PemFiles.certificates(ca, where + " certificate authority"))
          roots.setCertificateEntry("ca-" + i++, c);
        trust.init(roots);
      }
      KeyManagerFactory keys = null;
      if (cert != null && key != null) {
        KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
        identity.load(null, null);
        identity.setKeyEntry(
            "client",
            PemFiles.privateKey(key, where + " client key"),
            new char[0],
            PemFiles.certificates(cert, where + " client certificate")
                .toArray(X509Certificate[]::new));
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }
}

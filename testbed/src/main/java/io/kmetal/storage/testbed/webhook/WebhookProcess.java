package io.kmetal.storage.testbed.webhook;

import io.kmetal.storage.testbed.csi.DriverProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The packaged quota webhook ({@code kmetal-csi.jar webhook}) as a process on loopback, with the
 * arguments its Deployment has, serving the certificates in {@code --tls-dir}; started once its
 * {@code /healthz} answers over TLS.
 */
public final class WebhookProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient client;

  private WebhookProcess(Process process, Path log, int port, HttpClient client) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.client = client;
  }

  /**
   * Starts {@code webhook} with {@code args} (which set {@code --tls-dir}, {@code --port} and the
   * rest) on 127.0.0.1:{@code port}, trusting {@code ca} to reach it.
   */
  public static WebhookProcess start(List<String> args, int port, Path ca, Path log)
      throws IOException, InterruptedException {
    return start(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args, port, ca, log);
  }

  /** The same on a JVM started with {@code jvmFlags} (a benchmark runs the images' flags). */
  public static WebhookProcess start(
      List<String> jvmFlags, List<String> args, int port, Path ca, Path log)
      throws IOException, InterruptedException {
    return start(DriverProcess.Launcher.packaged(jvmFlags), args, port, ca, log);
  }

  /** The same through {@code launcher} (an unpacked image's entrypoint, in a benchmark). */
  public static WebhookProcess start(
      DriverProcess.Launcher launcher, List<String> args, int port, Path ca, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher.command());
    command.addAll(List.of("webhook", "--address=127.0.0.1", "--port=" + port));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .directory(launcher.workingDir().toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    var webhook =
        new WebhookProcess(
            process,
            log,
            port,
            HttpClient.newBuilder()
                .sslContext(trusting(ca))
                .connectTimeout(Duration.ofSeconds(2))
                .build());
    for (int i = 0; i < 600; i++) {
      if (!process.isAlive())
        throw new IllegalStateException("the webhook exited: " + Files.readString(log));
      if (webhook.healthy()) return webhook;
      TimeUnit.MILLISECONDS.sleep(100);
    }
    webhook.close();
    throw new IllegalStateException("the webhook was not healthy in 60 s; see " + log);
  }

  /** Whether {@code /healthz} answers 200. */
  public boolean healthy() {
    try {
      return get("/healthz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs {@code body} as the tenant API server does, with its {@code ?timeout=}. */
  public HttpResponse<String> post(String path, byte[] body)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri(path + "?timeout=10s"))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String path) {
    return URI.create("https://127.0.0.1:" + port + path);
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  /** An SSL context trusting only the PEM CA {@code ca}. */
  public static SSLContext trusting(Path ca) throws IOException {
    try (InputStream in = Files.newInputStream(ca)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, new char[0]);
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(ca + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

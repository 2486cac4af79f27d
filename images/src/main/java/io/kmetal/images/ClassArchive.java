package io.kmetal.images;

import io.kmetal.contract.DriverFlags;
import io.kmetal.storage.model.Images;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A static class-data-sharing archive of a driver image: the image's runtime starts the jar once in
 * the image's main mode, answers its warm-up calls and is stopped, listing every class it loaded
 * ({@code -XX:DumpLoadedClassList}); {@code -Xshare:dump} then writes those classes, the JDK's and
 * the jar's, into one archive the image maps at every start instead of loading and verifying them.
 *
 * <p>One archive of exactly the classes used, in place of the JDK's default archive with a dynamic
 * one on top ({@code -XX:ArchiveClassesAtExit}): the dynamic dump leaves out classes it cannot link
 * at exit, and a mode whose classes differ from the training's (the webhook, in the controller
 * image) loaded some 180 more from the jar. In the controller image the webhook idled 6.5 MiB lower
 * and the controller 0.5 ({@code RealNodesE2E} prints the pods').
 *
 * <p>The JVM accepts the archive only for the class path it was dumped with, the same jar (size and
 * modification time): the training and the dump run {@code kmetal-csi.jar} from a folder holding a
 * copy of the jar with the image's timestamp, as the image runs it from {@link Images#DRIVER_HOME}.
 */
final class ClassArchive {
  private static final long START_SECONDS = 60;

  /** How the archive is made, part of its cache key: a change here makes a new one. */
  private static final String HOW =
      "static dump; the start asked /healthz, and /metrics if scraped";

  private final Path work;

  ClassArchive(Path work) {
    this.work = work;
  }

  /**
   * The archive for {@code jar} on {@code runtime} after a start with {@code training} (mode and
   * arguments; the socket, health and metrics addresses are added), made unless the work folder has
   * it already.
   */
  Path forJar(Path runtime, Path jar, ImageSpec.Training training)
      throws IOException, InterruptedException {
    String key =
        Digests.sha256(
            Digests.sha256(jar)
                + "\n"
                + runtime.toRealPath()
                + "\n"
                + String.join(" ", ImageAssembler.JVM_FLAGS)
                + "\n"
                + String.join(" ", training.arguments())
                + "\n"
                + training.scraped()
                + "\n"
                + HOW);
    Path dir = Files.createDirectories(work.resolve("cds-" + key.substring(0, 16)));
    Path archive = dir.resolve("kmetal-csi.jsa");
    if (Files.isRegularFile(archive) && Files.size(archive) > 0) return archive;

    Path staged = dir.resolve(Images.DRIVER_JAR_NAME);
    Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(staged, FileTime.from(LayerTar.TIMESTAMP));
    try {
      Path classes = train(runtime, dir, training);
      dump(runtime, dir, classes, archive);
    } finally {
      Files.deleteIfExists(staged); // the image's own copy is the one the archive must match
    }
    return archive;
  }

  /** The training start: the list of the classes it loaded until it served and was stopped. */
  private static Path train(Path runtime, Path dir, ImageSpec.Training training)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("driver-config"));
    Files.writeString(dir.resolve("driver-config/infraClusterNamespace"), "training");
    Files.writeString(dir.resolve("driver-config/infraClusterLabels"), "kmetal=training");
    Files.writeString(dir.resolve("kubeconfig"), UNREACHABLE_CLUSTER);
    Files.createDirectories(dir.resolve("registration"));
    Files.createDirectories(dir.resolve("by-id"));
    Path socket = dir.resolve("csi.sock");
    Files.deleteIfExists(socket);
    Path classes = dir.resolve("classes.lst");
    Files.deleteIfExists(classes);

    List<String> command = new ArrayList<>(List.of(runtime.resolve("bin/java").toString()));
    command.addAll(ImageAssembler.JVM_FLAGS);
    command.add("-XX:DumpLoadedClassList=" + classes.getFileName());
    command.addAll(List.of("-jar", Images.DRIVER_JAR_NAME));
    int health = freePort();
    int metrics = freePort();
    command.addAll(arguments(training, socket, health, metrics));
    Path log = dir.resolve("training.log");
    Process java = start(command, dir, log);
    boolean served = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
      // the socket appears once the driver has answered its own warm-up calls through it
      while (!Files.exists(socket)) {
        if (!java.isAlive() || System.nanoTime() > deadline)
          throw new IOException(
              "the class archive's training start did not serve in "
                  + START_SECONDS
                  + " s: "
                  + String.join(" ", command)
                  + "\n"
                  + Files.readString(log));
        TimeUnit.MILLISECONDS.sleep(20);
      }
      TimeUnit.SECONDS.sleep(2); // what starts beside the socket (registration, the node lookup)
      // a running pod's driver answers the kubelet's probes, and the controller's Prometheus'
      // scrapes: +3.7 MiB in the controller when their classes (the JDK's HTTP server and date
      // formats, the gRPC client that /healthz asked the Probe through) came from outside the
      // archive
      for (int round = 0; round < 3; round++) {
        ask(health, "/healthz");
        if (training.scraped()) ask(metrics, "/metrics");
      }
      served = java.isAlive();
    } finally {
      java.destroy();
      if (!java.waitFor(60, TimeUnit.SECONDS)) java.destroyForcibly().waitFor();
    }
    if (!served) throw new IOException("the class archive's training start exited; see " + log);
    return classes;
  }

  /**
   * What the training start passes after the jar: the mode and its arguments, the CSI socket and
   * the addresses its pods serve on loopback ports, the metrics address only when they are scraped.
   */
  static List<String> arguments(ImageSpec.Training training, Path socket, int health, int metrics) {
    List<String> arguments = new ArrayList<>(training.arguments());
    arguments.add(DriverFlags.ENDPOINT + "=unix://" + socket);
    arguments.add(DriverFlags.HEALTH_ADDRESS + "=127.0.0.1:" + health);
    if (training.scraped()) arguments.add(DriverFlags.METRICS_ADDRESS + "=127.0.0.1:" + metrics);
    return arguments;
  }

  /** {@code -Xshare:dump} of {@code classes} from the staged jar, with the images' JVM flags. */
  private static void dump(Path runtime, Path dir, Path classes, Path archive)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(runtime.resolve("bin/java").toString()));
    command.addAll(ImageAssembler.JVM_FLAGS);
    command.addAll(
        List.of(
            "-Xshare:dump",
            "-XX:SharedClassListFile=" + classes.getFileName(),
            "-XX:SharedArchiveFile=" + archive.getFileName(),
            "-cp",
            Images.DRIVER_JAR_NAME));
    Path log = dir.resolve("dump.log");
    Process java = start(command, dir, log);
    boolean exited = java.waitFor(START_SECONDS, TimeUnit.SECONDS);
    if (!exited) java.destroyForcibly().waitFor();
    if (!exited || java.exitValue() != 0 || !Files.isRegularFile(archive)) {
      Files.deleteIfExists(archive);
      throw new IOException(
          "the class archive's dump failed: " + String.join(" ", command) + "; see " + log);
    }
  }

  /** GET {@code path} on loopback {@code port}; any answer will do (the cluster is unreachable). */
  private static void ask(int port, String path) throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    HTTP.send(request, HttpResponse.BodyHandlers.discarding());
  }

  /** HTTP/1.1, as the kubelet's probes and Prometheus ask. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Process start(List<String> command, Path dir, Path log) throws IOException {
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** A self-signed CA whose key was thrown away: the training's cluster must name one. */
  private static final String TRAINING_CA =
      """
      -----BEGIN CERTIFICATE-----
      MIIBpjCCAU2gAwIBAgIUTYiZ7zCdh87rTqwXS2z5OcRp5BEwCgYIKoZIzj0EAwIw
      KDEmMCQGA1UEAwwda21ldGFsIGNsYXNzIGFyY2hpdmUgdHJhaW5pbmcwIBcNMjYx
      MjA2MjMwMjEyWhgPMjEyNjExMTIyMzAyMTJaMCgxJjAkBgNVBAMMHWttZXRhbCBj
      bGFzcyBhcmNoaXZlIHRyYWluaW5nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
      FLSkaYDIUvVdyONmQT9UqgLdbGxEoaBJuIeHSe2uMqsXxnL7ExfQl2JjuKGIkAXp
      3IDYT9W8wWFiBQXIoq63RaNTMFEwHQYDVR0OBBYEFA/MSGg7DFCMpKSuWajEaJhG
      S0rTMB8GA1UdIwQYMBaAFA/MSGg7DFCMpKSuWajEaJhGS0rTMA8GA1UdEwEB/wQF
      MAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgaqHL+HZS3QG9+jSZLBPFQRrbPJ9M7J9Z
      TwbLn2IKPJUCIH7swVJZrgtf/tzD0VwuB1INt7M1SyASNOOVduxfo5U7
      -----END CERTIFICATE-----
      """;

  /**
   * The training's cluster: none answers, the start does not need one. It names a CA because the
   * images' runtime has no roots to fall back on, and refuses a cluster without one.
   */
  private static final String UNREACHABLE_CLUSTER =
      """
      apiVersion: v1
      kind: Config
      clusters:
        - name: none
          cluster:
            server: "https://127.0.0.1:1"
            certificate-authority-data: %s
      users: [{name: none, user: {token: none}}]
      contexts: [{name: none, context: {cluster: none, user: none}}]
      current-context: none
      """
          .formatted(
              Base64.getEncoder().encodeToString(TRAINING_CA.getBytes(StandardCharsets.US_ASCII)));
}

package io.kmetal.storage.bench.csi;

import csi.v1.ControllerGrpc;
import io.kmetal.storage.internal.pulumi.WebhookCertificate;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.csi.DriverProcess;
import io.kmetal.storage.testbed.webhook.QuotaNamespace;
import io.kmetal.storage.testbed.webhook.WebhookCertificates;
import io.kmetal.storage.testbed.webhook.WebhookProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The under cluster's driver processes idle: the controller (its DataVolume watch started, as the
 * first CreateVolume starts it) and the quota webhook (its quota, claim and ledger reads done),
 * each from the packaged jar with the images' JVM flags, {@code VmRSS} after {@value #IDLE_MS} ms
 * idle, beside the goal. Without the images' class archive, which takes a few MiB more off in the
 * pods ({@code RealNodesE2E} prints those).
 */
public final class UnderMemoryBench {
  private static final long IDLE_MS = 10_000;
  private static final double GOAL_MIB = 80;
  private static final String NS = "csi-bench-memory";
  private static final List<String> FLAGS = List.of(Images.DRIVER_JVM_FLAGS.split(" "));

  private final Sandbox sandbox;
  private final Path dir;
  private final CsiSockets sockets;

  private UnderMemoryBench(Sandbox sandbox, Path dir, CsiSockets sockets) {
    this.sandbox = sandbox;
    this.dir = dir;
    this.sockets = sockets;
  }

  /** Prints the table: {@code starts} starts of each process. */
  public static void run(
      Sandbox sandbox, Path dir, CsiSockets sockets, Teardown teardown, int starts)
      throws Exception {
    var under = sandbox.under().client();
    teardown.add("close the under cluster's client", under::close);
    var namespace = QuotaNamespace.create(under, NS, "bench-storage", "1Ti");
    teardown.add("delete namespace " + NS, namespace::close);
    new UnderMemoryBench(sandbox, Files.createDirectories(dir.resolve("memory")), sockets)
        .measure(starts);
  }

  private void measure(int starts) throws Exception {
    Path config = CreateVolumeBench.driverConfig(dir, NS);
    var issued = WebhookCertificate.issue("kmetal-webhook", List.of("127.0.0.1"), Instant.now());
    var tls =
        WebhookCertificates.write(
            dir.resolve("tls"), issued.caPem(), issued.certificatePem(), issued.keyPem());
    long[] controller = new long[starts];
    long[] webhook = new long[starts];
    for (int i = 0; i < starts; i++) {
      controller[i] = controller(config, i);
      webhook[i] = webhook(tls, i);
    }
    System.out.printf(
        Locale.ROOT,
        "under-cluster drivers: VmRSS %d s idle, images' JVM flags, no class archive (%d starts"
            + " each)%n",
        IDLE_MS / 1000,
        starts);
    System.out.printf(
        Locale.ROOT, "%-12s %12s %12s %12s %10s%n", "process", "RSS p50 MiB", "min", "max", "goal");
    row("controller", controller);
    row("webhook", webhook);
  }

  private static void row(String name, long[] kib) {
    long[] sorted = kib.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-12s %12.1f %12.1f %12.1f %10s%n",
        name,
        sorted[sorted.length / 2] / 1024.0,
        sorted[0] / 1024.0,
        sorted[sorted.length - 1] / 1024.0,
        "<= " + (int) GOAL_MIB);
  }

  /** One controller start: its watch begins with the first wait for a DataVolume. */
  private long controller(Path config, int i) throws Exception {
    try (DriverProcess process =
        DriverProcess.start(
            FLAGS,
            "controller",
            dir.resolve("controller-" + i + ".sock"),
            dir.resolve("controller-" + i + ".log"),
            List.of(
                "--driver-config=" + config,
                "--under-kubeconfig=" + sandbox.under().kubeconfig(),
                "--admission-wait-seconds=0"))) {
      var channel = sockets.open(process.socket());
      try {
        ControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .createVolume(CreateVolumeBench.request("pvc-memory-" + i, 1L << 20));
      } finally {
        CsiSockets.close(channel);
      }
      TimeUnit.MILLISECONDS.sleep(IDLE_MS);
      return Os.rssKib(process.process().pid());
    }
  }

  private long webhook(WebhookCertificates tls, int i) throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (var process =
        WebhookProcess.start(
            FLAGS,
            List.of(
                "--storage-class=tenant-storage-class",
                "--namespace=" + NS,
                "--quota=bench-storage",
                "--ledger=bench-ledger",
                "--tls-dir=" + tls.dir(),
                "--under-kubeconfig=" + sandbox.under().kubeconfig()),
            port,
            tls.dir().resolve("ca.crt"),
            dir.resolve("webhook-" + i + ".log"))) {
      TimeUnit.MILLISECONDS.sleep(IDLE_MS);
      return Os.rssKib(process.process().pid());
    }
  }
}

package io.kmetal.storage.bench.csi;

import csi.v1.ControllerGrpc;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.kmetal.csi.server.UnixChannels;
import io.kmetal.images.OciArchive;
import io.kmetal.storage.internal.pulumi.WebhookCertificate;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.ServiceAccountKubeconfig;
import io.kmetal.storage.testbed.csi.DriverProcess;
import io.kmetal.storage.testbed.webhook.QuotaNamespace;
import io.kmetal.storage.testbed.webhook.WebhookCertificates;
import io.kmetal.storage.testbed.webhook.WebhookProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The under cluster's driver processes idle, {@code VmRSS} after {@value #IDLE_MS} ms, beside the
 * goal: the controller before its first call (as a pod waits for its first claim) and again after
 * one CreateVolume (which starts its DataVolume watch), and the quota webhook (its quota, claim and
 * ledger reads done). Each twice: from the packaged jar on this machine's JDK with the images' JVM
 * flags and the sandbox's client-certificate kubeconfig, and from the controller image as a pod
 * runs it (its entrypoint, unpacked: the jlinked runtime, the jar and the class archive) with a
 * ServiceAccount's token. {@code RealNodesE2E} prints the same processes in pods on real nodes.
 */
public final class UnderMemoryBench {
  private static final long IDLE_MS = 10_000;
  private static final double GOAL_MIB = 80;
  private static final String NS = "csi-bench-memory";
  private static final List<String> FLAGS = List.of(Images.DRIVER_JVM_FLAGS.split(" "));
  private static final String ACCOUNT = "bench-driver";
  private static final Path IMAGE =
      Sandbox.projectRoot().resolve("csi-runtime/target/images/controller.tar");

  private final Sandbox sandbox;
  private final Path dir;

  private UnderMemoryBench(Sandbox sandbox, Path dir) {
    this.sandbox = sandbox;
    this.dir = dir;
  }

  /** Prints the table: {@code starts} starts of each process. */
  public static void run(Sandbox sandbox, Path dir, Teardown teardown, int starts)
      throws Exception {
    var under = sandbox.under().client();
    teardown.add("close the under cluster's client", under::close);
    var namespace = QuotaNamespace.create(under, NS, "bench-storage", "1Ti");
    teardown.add("delete namespace " + NS, namespace::close);
    Path memory = Files.createDirectories(dir.resolve("memory"));
    under
        .serviceAccounts()
        .inNamespace(NS)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName(ACCOUNT).endMetadata().build())
        .create();
    var binding =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName(NS + "-" + ACCOUNT)
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(ACCOUNT)
            .withNamespace(NS)
            .endSubject()
            .build();
    under.rbac().clusterRoleBindings().resource(binding).create();
    teardown.add(
        "delete ClusterRoleBinding " + binding.getMetadata().getName(),
        () -> under.rbac().clusterRoleBindings().resource(binding).delete());
    Path token =
        ServiceAccountKubeconfig.write(under, NS, ACCOUNT, memory.resolve("token-kubeconfig"));
    new UnderMemoryBench(sandbox, memory).measure(starts, token);
  }

  private void measure(int starts, Path token) throws Exception {
    Path config = CreateVolumeBench.driverConfig(dir, NS);
    var issued = WebhookCertificate.issue("kmetal-webhook", List.of("127.0.0.1"), Instant.now());
    var tls =
        WebhookCertificates.write(
            dir.resolve("tls"), issued.caPem(), issued.certificatePem(), issued.keyPem());
    var jar = DriverProcess.Launcher.packaged(FLAGS);
    var image = Files.isRegularFile(IMAGE) ? imageLauncher(IMAGE, dir.resolve("image")) : null;
    Path certificate = sandbox.under().kubeconfig();
    long[][] rss = new long[6][starts];
    for (int i = 0; i < starts; i++) {
      long[] controller = controller(jar, certificate, config, "jar-" + i);
      rss[0][i] = controller[0];
      rss[1][i] = controller[1];
      rss[2][i] = webhook(jar, certificate, tls, "jar-" + i);
      if (image == null) continue;
      controller = controller(image, token, config, "image-" + i);
      rss[3][i] = controller[0];
      rss[4][i] = controller[1];
      rss[5][i] = webhook(image, token, tls, "image-" + i);
    }
    System.out.printf(
        Locale.ROOT,
        "under-cluster drivers: VmRSS %d s idle (%d starts each)%n",
        IDLE_MS / 1000,
        starts);
    System.out.printf(
        Locale.ROOT, "%-34s %12s %12s %12s %10s%n", "process", "RSS p50 MiB", "min", "max", "goal");
    row("controller, jar, idle", rss[0], true);
    row("controller, jar, after a create", rss[1], false);
    row("webhook, jar", rss[2], true);
    if (image == null) {
      System.out.println("(no image rows: " + IMAGE + " is missing; ./kmetal images driver)");
      return;
    }
    row("controller, image, idle", rss[3], true);
    row("controller, image, after a create", rss[4], false);
    row("webhook, image", rss[5], true);
    System.out.println(
        "(jar: this JDK, the images' JVM flags, a client-certificate kubeconfig; image: the"
            + " controller image's entrypoint with its runtime and class archive, a ServiceAccount"
            + " token. The controller idle before its first call, as a pod waits for its first"
            + " claim, then once more after one CreateVolume, which starts its DataVolume watch)");
  }

  /**
   * The image's entrypoint run from {@code root}, where the image is unpacked: every absolute path
   * it names (the java, the class archive) taken from there, started in its working directory.
   */
  private static DriverProcess.Launcher imageLauncher(Path archive, Path root) throws Exception {
    OciArchive image = OciArchive.read(archive);
    image.unpack(root);
    List<String> command = new ArrayList<>();
    for (String arg : image.entrypoint()) command.add(rooted(arg, root));
    return new DriverProcess.Launcher(command, root.resolve(image.workingDir().substring(1)));
  }

  /**
   * {@code arg} with the absolute path it is, or ends in ({@code -XX:Flag=/path}), in {@code root}.
   */
  private static String rooted(String arg, Path root) {
    if (arg.startsWith("/")) return root + arg;
    int path = arg.indexOf("=/");
    return path < 0 ? arg : arg.substring(0, path + 1) + root + arg.substring(path + 1);
  }

  private static void row(String name, long[] kib, boolean idle) {
    long[] sorted = kib.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-34s %12.1f %12.1f %12.1f %10s%n",
        name,
        sorted[sorted.length / 2] / 1024.0,
        sorted[0] / 1024.0,
        sorted[sorted.length - 1] / 1024.0,
        idle ? "<= " + (int) GOAL_MIB : "");
  }

  /**
   * One controller start: its RSS idle before any call, then idle after one CreateVolume (its
   * DataVolume watch begins with the first wait for a DataVolume).
   */
  private long[] controller(
      DriverProcess.Launcher launcher, Path kubeconfig, Path config, String run) throws Exception {
    try (DriverProcess process =
        DriverProcess.start(
            launcher,
            "controller",
            dir.resolve("controller-" + run + ".sock"),
            dir.resolve("controller-" + run + ".log"),
            List.of(
                "--driver-config=" + config,
                "--under-kubeconfig=" + kubeconfig,
                "--admission-wait-seconds=0"))) {
      TimeUnit.MILLISECONDS.sleep(IDLE_MS);
      long idle = Os.rssKib(process.process().pid());
      var channel = UnixChannels.open(process.socket());
      try {
        ControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .createVolume(CreateVolumeBench.request("pvc-memory-" + run, 1L << 20));
      } finally {
        CsiSockets.close(channel);
      }
      TimeUnit.MILLISECONDS.sleep(IDLE_MS);
      return new long[] {idle, Os.rssKib(process.process().pid())};
    }
  }

  private long webhook(
      DriverProcess.Launcher launcher, Path kubeconfig, WebhookCertificates tls, String run)
      throws Exception {
    int port = Os.freeLoopbackPort();
    try (var process =
        WebhookProcess.start(
            launcher,
            List.of(
                "--storage-class=tenant-storage-class",
                "--namespace=" + NS,
                "--quota=bench-storage",
                "--ledger=bench-ledger",
                "--tls-dir=" + tls.dir(),
                "--under-kubeconfig=" + kubeconfig),
            port,
            tls.dir().resolve("ca.crt"),
            dir.resolve("webhook-" + run + ".log"))) {
      TimeUnit.MILLISECONDS.sleep(IDLE_MS);
      return Os.rssKib(process.process().pid());
    }
  }
}

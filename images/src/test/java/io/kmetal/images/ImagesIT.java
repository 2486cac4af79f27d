package io.kmetal.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.Csi.ProbeRequest;
import csi.v1.IdentityGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.kmetal.csi.server.UnixChannels;
import io.kmetal.storage.model.Images;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image archives as a container runtime would use them: built by {@link ImageBuild} from the
 * packaged driver, read through their OCI index, unpacked layer by layer into a root filesystem,
 * and run in a chroot with the image's entrypoint, user and environment: the driver prints its
 * version, and answers a CSI Probe on its socket in both modes; the node image's storage tools run.
 */
class ImagesIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Map<String, Path> ROOTFS = new HashMap<>();
  private static final Map<String, OciArchive> ARCHIVES = new HashMap<>();
  private static final List<Path> MOUNTS = new ArrayList<>();
  private static Path scratch;

  /**
   * Builds the archives and unpacks each into a root filesystem with what a container runtime gives
   * every container: /proc mounted (the JVM's launcher finds its libraries through /proc/self/exe)
   * and the character devices of /dev (without /dev/urandom the JVM seeds its SecureRandom for
   * seconds).
   */
  @BeforeAll
  static void buildAndUnpackTheImages() throws Exception {
    ImageBuild build = ImageBuild.defaults(ROOT);
    build.build(ImageSpec.DRIVER);
    scratch = Files.createTempDirectory("images-it-");
    for (ImageSpec spec : ImageSpec.DRIVER) {
      OciArchive archive = OciArchive.read(build.archive(spec));
      Path rootfs = Files.createDirectories(scratch.resolve(spec.name()));
      archive.unpack(rootfs);
      ARCHIVES.put(spec.name(), archive);
      ROOTFS.put(spec.name(), rootfs);
      for (String[] dev : DEVICES) {
        sh(
            "mknod",
            "-m",
            "666",
            rootfs.resolve("dev").resolve(dev[0]).toString(),
            "c",
            dev[1],
            dev[2]);
      }
      sh("mount", "-t", "proc", "proc", rootfs.resolve("proc").toString());
      MOUNTS.add(rootfs.resolve("proc"));
    }
  }

  private static final String[][] DEVICES = {
    {"null", "1", "3"},
    {"zero", "1", "5"},
    {"full", "1", "7"},
    {"random", "1", "8"},
    {"urandom", "1", "9"},
    {"tty", "5", "0"}
  };

  /** Unmounts, then removes the root filesystems; leaves them when an unmount fails. */
  @AfterAll
  static void removeTheRootFilesystems() throws Exception {
    boolean unmounted = true;
    for (Path mount : MOUNTS) {
      Process p = new ProcessBuilder("umount", mount.toString()).inheritIO().start();
      unmounted &= p.waitFor() == 0;
    }
    if (scratch != null && unmounted) RootFs.deleteTree(scratch);
  }

  static Stream<Arguments> images() {
    return Stream.of(
        Arguments.of("controller", Images.CONTROLLER), Arguments.of("node", Images.NODE));
  }

  @ParameterizedTest
  @MethodSource("images")
  void archiveNamesTheImageTenantStorageDeploys(String name, String reference) {
    assertEquals(reference, ARCHIVES.get(name).referenceName());
    assertEquals("/opt/java/bin/java", ARCHIVES.get(name).entrypoint().get(0));
  }

  @Test
  void controllerRunsAsNonRootAndNodeAsRoot() {
    assertEquals("65532:65532", ARCHIVES.get("controller").user());
    assertEquals("0:0", ARCHIVES.get("node").user());
  }

  @ParameterizedTest
  @MethodSource("images")
  void driverPrintsItsVersionInTheImage(String name, String reference) throws Exception {
    Process p = chroot(name, List.of("--version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    assertEquals("kmetal-csi " + jarVersion(), out);
  }

  /** The driver trusts only the CAs it is given: the runtime carries none of the JDK's roots. */
  @ParameterizedTest
  @MethodSource("images")
  void theRuntimeCarriesNoPublicRootCertificates(String name, String reference) {
    Path security = ROOTFS.get(name).resolve("opt/java/lib/security");
    assertTrue(Files.isRegularFile(security.resolve("default.policy")), security.toString());
    assertFalse(Files.exists(security.resolve("cacerts")), security.toString());
  }

  /**
   * With {@code -Xshare:on} the JVM refuses to start rather than run without its class archive,
   * which it accepts only for the jar it was dumped with, named as the image names it.
   */
  @ParameterizedTest
  @MethodSource("images")
  void theImagesClassArchiveIsAcceptedWhereTheImageStarts(String name, String reference)
      throws Exception {
    Process p =
        chroot(name, List.of("-Xshare:on"), List.of("--version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    assertEquals("kmetal-csi " + jarVersion(), out);
  }

  @ParameterizedTest
  @MethodSource("images")
  void driverAnswersProbeOnItsSocketInTheImage(String name, String reference) throws Exception {
    Path rootfs = ROOTFS.get(name);
    List<String> args =
        name.equals("node")
            ? List.of("node", "--endpoint", "unix:///csi/csi.sock", "--node-name", "vm-0")
            : controllerArgs(rootfs);
    Path csi = rootfs.resolve("csi");
    sh("chown", ARCHIVES.get(name).user(), csi.toString()); // as a pod's emptyDir would be
    Process driver = null;
    try {
      long start = System.nanoTime();
      driver =
          chroot(name, args)
              .redirectErrorStream(true)
              .redirectOutput(scratch.resolve(name + ".log").toFile())
              .start();
      assertTrue(probeUntilAnswered(csi.resolve("csi.sock"), driver), log(name));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf(
          "%s image: first Probe answered %d ms after start, RSS %d MiB%n",
          name, ms, rssKib(driver.pid()) / 1024);
    } finally {
      if (driver != null) {
        driver.destroy();
        if (!driver.waitFor(20, TimeUnit.SECONDS)) driver.destroyForcibly().waitFor();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("storageTools")
  void nodeImageRunsTheStorageTools(List<String> command, int exit, String prints)
      throws Exception {
    List<String> chroot = new ArrayList<>(List.of("chroot", ROOTFS.get("node").toString()));
    chroot.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(chroot).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(ARCHIVES.get("node").environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(exit, p.waitFor(), out);
    assertTrue(out.contains(prints), out);
  }

  static Stream<Arguments> storageTools() {
    return Stream.of(
        Arguments.of(List.of("mkfs.ext4", "-V"), 0, "mke2fs 1."),
        Arguments.of(List.of("mkfs.xfs", "-V"), 0, "mkfs.xfs version"),
        Arguments.of(List.of("blkid", "-V"), 0, "blkid from util-linux"),
        Arguments.of(List.of("findmnt", "-V"), 0, "findmnt from util-linux"),
        Arguments.of(List.of("mount", "-V"), 0, "mount from util-linux"),
        Arguments.of(List.of("umount", "-V"), 0, "umount from util-linux"),
        Arguments.of(List.of("xfs_growfs", "-V"), 0, "xfs_growfs version"),
        Arguments.of(List.of("resize2fs"), 1, "Usage: resize2fs"));
  }

  /**
   * Controller mode with a kubeconfig whose client key is EC, for an API server that is not there:
   * the client is built at start-up (kubeconfig parsing, TLS key managers with the EC key), and the
   * first call would only then reach for the server.
   */
  private static List<String> controllerArgs(Path rootfs) throws Exception {
    Path config = Files.createDirectories(rootfs.resolve("config"));
    Files.writeString(config.resolve("infraClusterNamespace"), "tenant-it");
    Files.writeString(config.resolve("infraClusterLabels"), "csi.kubevirt.io/tenant-cluster=it");
    Path key = scratch.resolve("key.pem");
    Path cert = scratch.resolve("cert.pem");
    sh(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-subj",
        "/CN=it",
        "-days",
        "1");
    String certData = base64(cert);
    Files.writeString(
        config.resolve("kubeconfig"),
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: under, cluster: {server: 'https://127.0.0.1:1',"
                + " certificate-authority-data: "
                + certData
                + "}}]",
            "users: [{name: it, user: {client-certificate-data: "
                + certData
                + ","
                + " client-key-data: "
                + base64(key)
                + "}}]",
            "contexts: [{name: it, context: {cluster: under, user: it}}]",
            "current-context: it",
            ""));
    return List.of(
        "controller",
        "--endpoint",
        "unix:///csi/csi.sock",
        "--driver-config",
        "/config",
        "--under-kubeconfig",
        "/config/kubeconfig",
        "--tenant-cluster",
        "it");
  }

  /**
   * The image's command as a runtime starts it: root directory ROOTFS, its user, its working
   * directory and its environment only ({@code unshare --root --wd --setuid --setgid}).
   */
  private static ProcessBuilder chroot(String name, List<String> args) {
    return chroot(name, List.of(), args);
  }

  /** The same with {@code jvmFlags} before the image's own. */
  private static ProcessBuilder chroot(String name, List<String> jvmFlags, List<String> args) {
    OciArchive image = ARCHIVES.get(name);
    String[] user = image.user().split(":");
    List<String> command = new ArrayList<>();
    command.add("unshare");
    command.add("--root=" + ROOTFS.get(name));
    command.add("--wd=" + image.workingDir());
    command.add("--setuid=" + user[0]);
    command.add("--setgid=" + user[1]);
    List<String> entrypoint = image.entrypoint();
    command.add(entrypoint.get(0));
    command.addAll(jvmFlags);
    command.addAll(entrypoint.subList(1, entrypoint.size()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(image.environment());
    return pb;
  }

  /** Probes until the driver answers, or it exits: false then. Bounded at two minutes. */
  private static boolean probeUntilAnswered(Path socket, Process driver) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (driver.isAlive() && System.nanoTime() < deadline) {
      if (Files.exists(socket)) {
        ManagedChannel channel = UnixChannels.open(socket);
        try {
          // answered is enough: the node plugin in a chroot has no cluster to find its VM in,
          // so it stays not-ready (and says why), as it would before its API server is up
          IdentityGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .probe(ProbeRequest.getDefaultInstance());
          return true;
        } catch (StatusRuntimeException notYet) {
          // the socket is bound before the server accepts: try again
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
      Thread.sleep(10);
    }
    return false;
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  private static String jarVersion() throws IOException {
    try (var jar = new JarFile(ROOT.resolve("csi-runtime/target/kmetal-csi.jar").toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  private static String log(String name) {
    try {
      return Files.readString(scratch.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static String base64(Path file) throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
  }

  private static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + ": " + out);
  }
}

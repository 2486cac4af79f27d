package io.kmetal.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The Java runtime of the images: the modules {@code jdeps} finds in the driver jar plus those it
 * reaches only by reflection or service lookup, linked by {@code jlink} from the machine's JDK 17.
 * Cached in the work folder by jar digest and JDK.
 *
 * <p>With the JDK's class-data-sharing archive ({@link #CDS}) for the JVMs started without the
 * image's own {@link ClassArchive} (the controller pod's postStart hook). JDK 17 writes a different
 * archive on every run (JDK-8253495, fixed in 18), so this layer is reproducible only from the
 * cached runtime, not across machines.
 */
final class JavaRuntime {
  /**
   * jdk.crypto.ec: TLS with EC keys (API servers, the webhook); jdk.unsupported: protobuf's and
   * Guava's sun.misc.Unsafe; java.naming: fabric8's and the JDK http client's DNS lookups.
   */
  static final List<String> EXTRA_MODULES =
      List.of("jdk.crypto.ec", "jdk.unsupported", "java.naming");

  private final Path jdk;
  private final Path work;

  /** jlinks from {@code jdk} (a JDK 17 home) into {@code work}. */
  JavaRuntime(Path jdk, Path work) {
    this.jdk = jdk;
    this.work = work;
  }

  /** The machine's JDK 17: Debian's openjdk-17, or the running JVM when that is a 17. */
  static Path defaultJdk() {
    Path debian = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    if (Files.isExecutable(debian.resolve("bin/jlink"))) return debian;
    return Path.of(System.getProperty("java.home"));
  }

  /**
   * The JDK's default class-data-sharing archive for the runtime's modules (jlink writes it to
   * {@code lib/server/classes.jsa}); without it a JVM started without the driver's archive loads
   * every JDK class from scratch.
   */
  static final String CDS = "--generate-cds-archive";

  /**
   * Leaves out the JDK's public root certificates. The driver trusts only the certificate
   * authorities its kubeconfigs and service account name; without this file the JVM no longer
   * parses all 140-odd roots (certificate path checks load them to apply their {@code jdkCA}
   * constraint): 1.5 MiB of heap in every process that makes a TLS connection.
   */
  static final String NO_PUBLIC_ROOTS = "--exclude-files=glob:/java.base/lib/security/cacerts";

  /** The runtime for {@code jar}, built unless the work folder has it already. */
  Path forJar(Path jar) throws IOException {
    Files.createDirectories(work);
    String jarDigest = Digests.sha256(jar);
    Path modulesFile = work.resolve("jdeps-" + jarDigest.substring(0, 16) + ".txt");
    if (!Files.isRegularFile(modulesFile)) {
      String deps =
          Processes.run(
              work,
              List.of(
                  jdk.resolve("bin/jdeps").toString(),
                  "--print-module-deps",
                  "--ignore-missing-deps",
                  "--multi-release",
                  "17",
                  jar.toString()));
      Files.writeString(modulesFile, deps.strip());
    }
    var modules = new TreeSet<>(List.of(Files.readString(modulesFile).strip().split(",")));
    modules.addAll(EXTRA_MODULES);
    String key =
        Digests.sha256(
            String.join(
                "\n",
                jdk.toRealPath().toString(),
                String.join(",", modules),
                CDS,
                NO_PUBLIC_ROOTS));
    Path runtime = work.resolve("java-" + key.substring(0, 16));
    Path complete = work.resolve(runtime.getFileName() + ".complete");
    if (Files.isRegularFile(complete) && Files.isDirectory(runtime)) return runtime;

    RootFs.deleteTree(runtime);
    Processes.run(
        work,
        List.of(
            jdk.resolve("bin/jlink").toString(),
            "--add-modules",
            String.join(",", modules),
            "--strip-debug",
            "--no-header-files",
            "--no-man-pages",
            "--compress=2",
            CDS,
            NO_PUBLIC_ROOTS,
            "--output",
            runtime.toString()));
    Files.writeString(complete, String.join(",", modules) + "\n");
    return runtime;
  }
}

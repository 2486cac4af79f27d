package io.kmetal.images;

import static java.util.Objects.requireNonNull;

import io.kmetal.storage.model.Images;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One image: its reference (the one the rendered manifests name), the Debian packages its base
 * layer starts from, the user it runs as, and what goes on top of the base.
 *
 * @param name short name, also the archive's file name ({@code <name>.tar})
 * @param reference the image reference inside the archive
 * @param packages the Debian packages whose dependency closure forms the base layer
 * @param user the container's user ({@code uid} or {@code uid:gid})
 * @param content what the image runs
 */
public record ImageSpec(
    String name, String reference, List<String> packages, String user, Content content) {

  /** What an image runs, on top of its Debian base layer. */
  public sealed interface Content {}

  /**
   * The driver: the jlinked Java runtime, a jar of the driver's build ({@code jar}, a file name in
   * {@code csi-runtime/target}) as {@code kmetal-csi.jar}, and a class archive of a start in {@code
   * training}.
   */
  public record Driver(String jar, Training training) implements Content {
    public Driver {
      requireNonNull(jar, "jar");
      requireNonNull(training, "training");
    }
  }

  /** The whole driver, every mode: the build names it as the images do. */
  static final String DRIVER_JAR = Images.DRIVER_JAR_NAME;

  /** The node plugin's jar: started by csi-runtime's {@code NodeMain} (node and node-id only). */
  static final String NODE_JAR = "kmetal-csi-node.jar";

  /**
   * The start whose loaded classes the image's class archive holds: the image's main mode and its
   * arguments, run from a folder holding {@code driver-config/} and a {@code kubeconfig} of a
   * cluster that does not answer ({@link ClassArchive}, which adds the CSI socket and the health
   * address, asked as the kubelet asks it).
   *
   * @param scraped whether the mode's pods serve Prometheus ({@code --metrics-address}); only then
   *     does the start serve {@code /metrics} and get asked it. A process keeps nearly all of its
   *     archive resident, so classes its pods never load cost each pod their size ({@code
   *     TrainingTest})
   */
  public record Training(List<String> arguments, boolean scraped) {
    public Training {
      arguments = List.copyOf(arguments);
    }
  }

  /**
   * A test-bed tool's static binary (built by {@code testbed/tools/build.sh} into the tool cache's
   * {@code bin/}) at {@code path}, run as the entrypoint.
   */
  public record Tool(String binary, String path) implements Content {
    public Tool {
      requireNonNull(binary, "binary");
      requireNonNull(path, "path");
    }
  }

  /**
   * Debian's static busybox, with a link in {@code /bin} for every applet, running {@code
   * entrypoint}.
   */
  public record Busybox(List<String> entrypoint) implements Content {
    public Busybox {
      entrypoint = List.copyOf(entrypoint);
    }
  }

  /** What the jlinked Java runtime loads: libjvm (libstdc++, libgcc), libjli and libzip (zlib). */
  static final List<String> JAVA_PACKAGES = List.of("libc6", "libgcc-s1", "libstdc++6", "zlib1g");

  /**
   * Packages the closure never includes: maintainer-script machinery (debconf, dpkg, perl) and the
   * interpreters and libraries of tools the driver never runs (python3 for xfs_scrub_all, ICU for
   * xfs_scrub). Nothing ever configures packages inside the image.
   */
  public static final Set<String> LEFT_OUT =
      Set.of(
          "debconf",
          "cdebconf",
          "dpkg",
          "install-info",
          "perl-base",
          "perl",
          "python3",
          "libicu72",
          "tar");

  static final String NON_ROOT = "65532:65532";

  /** The containerd sandbox image of the sandbox's nodes (its CRI {@code sandbox_image}). */
  public static final String PAUSE = "localhost/kmetal-storage/pause:" + Images.VERSION;

  /** A small image for tenant workload pods in the sandbox ({@code /bin/sh} and busybox). */
  public static final String BUSYBOX = "localhost/kmetal-storage/busybox:" + Images.VERSION;

  /** The controller image also runs the webhook and the clean-up job; the controller trains it. */
  public static final ImageSpec CONTROLLER =
      new ImageSpec(
          "controller",
          Images.CONTROLLER,
          JAVA_PACKAGES,
          NON_ROOT,
          new Driver(
              DRIVER_JAR,
              new Training(
                  List.of(
                      "controller",
                      "--driver-config=driver-config",
                      "--under-kubeconfig=kubeconfig",
                      "--tenant-cluster=training",
                      "--tenant-kubeconfig=kubeconfig",
                      "--bus=scsi"),
                  true)));

  /** Runs as root: the node plugin formats and mounts devices. */
  public static final ImageSpec NODE =
      new ImageSpec(
          "node",
          Images.NODE,
          concat(JAVA_PACKAGES, List.of("util-linux", "mount", "e2fsprogs", "xfsprogs")),
          "0:0",
          new Driver(
              NODE_JAR,
              new Training(
                  List.of(
                      "node",
                      "--node-name=training",
                      "--kubeconfig=kubeconfig",
                      "--kubelet-registration-path=/var/lib/kubelet/plugins/csi.kubevirt.io/csi.sock",
                      "--registration-dir=registration",
                      "--disk-by-id-dir=by-id"),
                  false)));

  /** The driver's images, the ones a platform deploys. */
  public static final List<ImageSpec> DRIVER = List.of(CONTROLLER, NODE);

  /**
   * The sandbox's real nodes run the rendered manifests from these, with no registry: the CSI
   * sidecars (local builds of their releases), the local-path provisioner and its helper, the
   * containerd sandbox ("pause") image and a workload image for tenant pods.
   */
  public static final List<ImageSpec> SANDBOX =
      List.of(
          sidecar("csi-provisioner", Images.CSI_PROVISIONER),
          sidecar("csi-attacher", Images.CSI_ATTACHER),
          sidecar("csi-resizer", Images.CSI_RESIZER),
          sidecar("csi-snapshotter", Images.CSI_SNAPSHOTTER),
          new ImageSpec(
              "local-path-provisioner",
              Images.LOCAL_PATH_PROVISIONER,
              List.of(),
              "0:0",
              new Tool("local-path-provisioner", "/usr/bin/local-path-provisioner")),
          // The helper pod's image is the one the local-path ConfigMap names, run as root (it
          // creates and removes the volume folders on the node).
          busybox("local-path-helper", Images.LOCAL_PATH_HELPER, "0:0", List.of("/bin/sh")),
          busybox("pause", PAUSE, NON_ROOT, List.of("/bin/sleep", "2147483647")),
          busybox("busybox", BUSYBOX, NON_ROOT, List.of("/bin/sh")));

  public static final List<ImageSpec> ALL =
      Stream.concat(DRIVER.stream(), SANDBOX.stream()).toList();

  public ImageSpec {
    requireNonNull(name, "name");
    requireNonNull(reference, "reference");
    packages = List.copyOf(packages);
    requireNonNull(user, "user");
    requireNonNull(content, "content");
  }

  /** The spec called {@code name}. */
  public static ImageSpec named(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no image '"
                        + name
                        + "' (known: "
                        + String.join(", ", ALL.stream().map(ImageSpec::name).toList())
                        + ")"));
  }

  /** A CSI sidecar: its binary at {@code /<binary>}, as upstream's images have it. */
  private static ImageSpec sidecar(String binary, String reference) {
    return new ImageSpec(binary, reference, List.of(), NON_ROOT, new Tool(binary, "/" + binary));
  }

  private static ImageSpec busybox(
      String name, String reference, String user, List<String> entrypoint) {
    return new ImageSpec(name, reference, List.of("busybox-static"), user, new Busybox(entrypoint));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}

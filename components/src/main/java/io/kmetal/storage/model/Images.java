package io.kmetal.storage.model;

/**
 * Container images, every one pinned to a release. The kmetal images are built by {@code
 * csi-runtime}; the sidecars are the Kubernetes CSI project's current releases.
 */
public record Images(
    String controller,
    String node,
    String csiProvisioner,
    String csiAttacher,
    String csiResizer,
    String csiSnapshotter,
    String livenessProbe,
    String nodeDriverRegistrar) {
  public static final String VERSION = "0.1.0";
  public static final String CONTROLLER = "ghcr.io/kmetal-io/kmetal-storage-controller:" + VERSION;
  public static final String NODE = "ghcr.io/kmetal-io/kmetal-storage-node:" + VERSION;
  private static final String SIG = "registry.k8s.io/sig-storage/";

  /** Where the kmetal images hold their Java runtime and the driver's jar. */
  public static final String DRIVER_JAVA_HOME = "/opt/java";

  /** The driver images' folder, their working directory: the jar and its class archive. */
  public static final String DRIVER_HOME = "/opt/kmetal";

  public static final String DRIVER_JAR_NAME = "kmetal-csi.jar";

  public static final String DRIVER_JAR = DRIVER_HOME + "/" + DRIVER_JAR_NAME;

  /**
   * The image's class-data-sharing archive: the classes, the JDK's and the jar's, a start of the
   * image's main mode loaded, dumped when the image was built and mapped by every start after
   * (about half the start time and a tenth of the memory; {@code ./kmetal bench csi start}).
   */
  public static final String DRIVER_CLASS_ARCHIVE = DRIVER_HOME + "/kmetal-csi.jsa";

  /**
   * Class archives mapped where they were dumped (relocation mode 0; this JDK's default, mode 1,
   * maps them at a random address and rewrites every page at each start), space-separated. Moved,
   * an archive is private memory of each process; in place, the pages a process only reads stay
   * clean page cache, which the pods of one node running the same image share and the kernel may
   * reclaim. The JDK's own archive under a node plugin started without the image's, by hand: 8.6
   * MiB of its 10.2 private moved, 3.6 in place (VmRSS the same). It gives up the archive's
   * randomised address, a hardening the JDK added; the images keep every other default.
   */
  public static final String CLASS_ARCHIVE_IN_PLACE =
      "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0";

  /**
   * The JVM flags the images start the driver with, space-separated (a compile-time constant, so
   * the images module needs no components at run time). Measured on the node plugin ({@code
   * ./kmetal bench csi start}, which runs them as its "images now" row): the serial collector and
   * C1 only cut idle memory and start-up; a small initial heap that gives back what it does not use
   * (free ratios), a 16 MiB code cache and no perf-data file take the rest. The heap may still grow
   * to the JVM's default share of the container's memory when a mode needs it (the webhook's
   * caches).
   *
   * <p>The C library's free memory goes back to the system every 5 s: the JIT compiles in arenas it
   * frees afterwards, and glibc kept those pages. A node plugin after 300 liveness probes (50
   * minutes of a running pod) held 66.6 MiB without, 60.8 with (idle after start: 57.4 both).
   *
   * <p>The common pool gets two threads whatever the CPU count: on one or two CPUs (a small VM, a
   * CPU limit) its parallelism would be 1, and the JDK's HTTP client, which hands each response to
   * that pool, then starts a new thread per response ({@code ./kmetal bench csi create}: about 1.5
   * threads per CreateVolume before).
   *
   * <p>The interned-string table starts with 8,192 buckets rather than 65,536: the node plugin
   * interns about 4,900 strings, and the default's bucket array alone is 512 KiB of every process
   * (node plugin by hand, 47.1 → 46.6 MiB). The JVM doubles the table itself past two strings a
   * bucket.
   */
  public static final String DRIVER_JVM_FLAGS =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms4m -XX:MinHeapFreeRatio=10"
          + " -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=16m -XX:-UsePerfData"
          + " -XX:TrimNativeHeapInterval=5000 -XX:StringTableSize=8192"
          + " -Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

  /** The class in the driver's jar that the controller pod's postStart hook runs. */
  public static final String DRIVER_SOCKET_WAIT = "io.kmetal.csi.server.SocketWait";

  /** The local-path provisioner of the platform's local-path tiers. */
  public static final String LOCAL_PATH_PROVISIONER =
      "docker.io/rancher/local-path-provisioner:v0.0.30";

  /** The image of its helper pods, which create and remove the volume folders on a node. */
  public static final String LOCAL_PATH_HELPER = "docker.io/library/busybox:1.37.0";

  public static final String CSI_PROVISIONER = SIG + "csi-provisioner:v6.3.0";
  public static final String CSI_ATTACHER = SIG + "csi-attacher:v4.12.0";
  public static final String CSI_RESIZER = SIG + "csi-resizer:v2.2.1";
  public static final String CSI_SNAPSHOTTER = SIG + "csi-snapshotter:v8.6.0";
  public static final String LIVENESS_PROBE = SIG + "livenessprobe:v2.19.0";
  public static final String NODE_DRIVER_REGISTRAR = SIG + "csi-node-driver-registrar:v2.17.0";

  public static final Images DEFAULTS = new Images(null, null, null, null, null, null, null, null);

  public Images {
    controller = Defaults.or(controller, CONTROLLER);
    node = Defaults.or(node, NODE);
    csiProvisioner = Defaults.or(csiProvisioner, CSI_PROVISIONER);
    csiAttacher = Defaults.or(csiAttacher, CSI_ATTACHER);
    csiResizer = Defaults.or(csiResizer, CSI_RESIZER);
    csiSnapshotter = Defaults.or(csiSnapshotter, CSI_SNAPSHOTTER);
    livenessProbe = Defaults.or(livenessProbe, LIVENESS_PROBE);
    nodeDriverRegistrar = Defaults.or(nodeDriverRegistrar, NODE_DRIVER_REGISTRAR);
  }

  /** A builder with every component unset (null), so the canonical constructor's defaults apply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fluent setters named like the components; {@link #build} calls the canonical constructor. */
  public static final class Builder {
    private String controller;
    private String node;
    private String csiProvisioner;
    private String csiAttacher;
    private String csiResizer;
    private String csiSnapshotter;
    private String livenessProbe;
    private String nodeDriverRegistrar;

    private Builder() {}

    public Builder controller(String controller) {
      this.controller = controller;
      return this;
    }

    public Builder node(String node) {
      this.node = node;
      return this;
    }

    public Builder csiProvisioner(String csiProvisioner) {
      this.csiProvisioner = csiProvisioner;
      return this;
    }

    public Builder csiAttacher(String csiAttacher) {
      this.csiAttacher = csiAttacher;
      return this;
    }

    public Builder csiResizer(String csiResizer) {
      this.csiResizer = csiResizer;
      return this;
    }

    public Builder csiSnapshotter(String csiSnapshotter) {
      this.csiSnapshotter = csiSnapshotter;
      return this;
    }

    public Builder livenessProbe(String livenessProbe) {
      this.livenessProbe = livenessProbe;
      return this;
    }

    public Builder nodeDriverRegistrar(String nodeDriverRegistrar) {
      this.nodeDriverRegistrar = nodeDriverRegistrar;
      return this;
    }

    public Images build() {
      return new Images(
          controller,
          node,
          csiProvisioner,
          csiAttacher,
          csiResizer,
          csiSnapshotter,
          livenessProbe,
          nodeDriverRegistrar);
    }
  }
}

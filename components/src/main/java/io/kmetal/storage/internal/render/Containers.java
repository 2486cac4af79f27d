package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.model.KubeconfigSecretRef;
import java.util.ArrayList;
import java.util.List;

/** Building blocks shared by the controller, node and webhook pods. */
final class Containers {
  static final String SOCKET_DIR = "/csi";
  static final String SOCKET = SOCKET_DIR + "/csi.sock";
  static final String ENDPOINT = "unix://" + SOCKET;

  private Containers() {}

  static VolumeMount mount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).build();
  }

  static VolumeMount readOnly(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
  }

  /**
   * A writable {@code /tmp} under the read-only root filesystem, for the JVM's own files there: the
   * attach socket {@code jcmd} and {@code jstack} reach a running driver through.
   */
  static Volume tmp() {
    return new VolumeBuilder()
        .withName("tmp")
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("32Mi"))
        .endEmptyDir()
        .build();
  }

  static VolumeMount tmpMount() {
    return mount("tmp", "/tmp");
  }

  static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * The pod's service-account credentials as the kubelet would mount them (a bound token that it
   * rotates, the cluster CA, the namespace), for a pod that does not automount them so that only
   * the containers that call the API get them.
   */
  static Volume serviceAccountToken() {
    return new VolumeBuilder()
        .withName("service-account-token")
        .withNewProjected()
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath("token")
        .withExpirationSeconds(3607L)
        .endServiceAccountToken()
        .endSource()
        .addNewSource()
        .withNewConfigMap()
        .withName("kube-root-ca.crt")
        .addNewItem()
        .withKey("ca.crt")
        .withPath("ca.crt")
        .endItem()
        .endConfigMap()
        .endSource()
        .addNewSource()
        .withNewDownwardAPI()
        .addNewItem()
        .withPath("namespace")
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endItem()
        .endDownwardAPI()
        .endSource()
        .endProjected()
        .build();
  }

  static VolumeMount serviceAccountTokenMount() {
    return readOnly("service-account-token", SERVICE_ACCOUNT_DIR);
  }

  /** A volume holding a tenant cluster's kubeconfig from its secret, as the file {@code path}. */
  static Volume kubeconfig(String volume, KubeconfigSecretRef secret, String path) {
    return new VolumeBuilder()
        .withName(volume)
        .withNewSecret()
        .withSecretName(secret.name())
        .addNewItem()
        .withKey(secret.key())
        .withPath(path)
        .endItem()
        .endSecret()
        .build();
  }

  /**
   * The memory a driver container (webhook, clean-up job) requests: the RSS of the image's JVM
   * measured on real kubelet nodes (RealNodesE2E prints each process beside its request, idle and
   * again after its workload, and fails when one holds more), plus a quarter, rounded up to 16 MiB.
   * The webhook idles at 72 to 74 MiB and holds up to 80 after the test fleet's claims; the
   * clean-up job runs the same API client. The scheduler places pods by requests: one below what
   * the process holds overcommits the node, one far above strands memory on it.
   */
  static final String DRIVER_MEMORY = "112Mi";

  /**
   * The node plugin's driver, on every tenant worker: it idles at about 48 MiB in the image and
   * holds up to 49.3 once it has staged volumes (300 liveness checks later, an hour of a running
   * pod, it holds no more); a quarter above that, rounded up to 16 MiB. It looks its node up in a
   * child process ({@code kmetal-csi node-id}), which holds about 65 MiB for under a second at
   * start and is gone.
   */
  static final String NODE_MEMORY = "64Mi";

  /**
   * The controller's driver: it idles at 62 to 64 MiB on real nodes, and a leader that has
   * provisioned, attached and watched DataVolumes held up to 78 MiB; a quarter above that, rounded
   * up to 16 MiB.
   */
  static final String CONTROLLER_MEMORY = "112Mi";

  /**
   * The CPU the controller's and the node plugin's driver request. Each sidecar requests 10m, and a
   * driver with the same request got a fifth of its pod's CPU while four JVMs started on a busy
   * node; the sidecars give its first answers one second (external-attacher's GetPluginInfo and
   * capability checks, the snapshotter's connection), missed it, and restarted (RealNodesE2E). A
   * JVM's start costs more than a Go sidecar's, and the request now says so.
   */
  static final String DRIVER_CPU = "100m";

  static ResourceRequirements requests(String cpu, String memory) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .build();
  }

  /** Non-root, no privilege escalation, read-only root, all capabilities dropped. */
  static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /** The {@code healthz} port the livenessprobe sidecar serves for the driver. */
  static ContainerPort healthPort(int port) {
    return port("healthz", port);
  }

  /** A named TCP port of a container. */
  static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  /** Restart the driver when its {@code /healthz} (its own Probe) stops answering ready. */
  static Probe driverLiveness() {
    return liveness(healthz("healthz", "HTTP"));
  }

  /**
   * The controller image's java for a mode its class archive was not trained on: the image's own
   * command with the archive left out. The archive holds the controller's classes; a process maps
   * most of its pages whatever it uses, so the webhook (HTTPS and informers, no gRPC) held 111 MiB
   * with it and 93 MiB without. The JDK's own archive, which it maps instead, is mapped in place as
   * the image's is ({@link Images#CLASS_ARCHIVE_IN_PLACE}).
   */
  static List<String> driverJavaWithoutClassArchive() {
    List<String> command = new ArrayList<>();
    command.add(Images.DRIVER_JAVA_HOME + "/bin/java");
    command.addAll(List.of(Images.DRIVER_JVM_FLAGS.split(" ")));
    command.addAll(List.of(Images.CLASS_ARCHIVE_IN_PLACE.split(" ")));
    command.addAll(List.of("-jar", Images.DRIVER_JAR));
    return command;
  }

  /**
   * The driver's start: a cold JVM on a busy node gets up to two minutes before liveness counts.
   */
  static Probe driverStartup() {
    return startup(healthz("healthz", "HTTP"));
  }

  /**
   * The driver container's postStart hook: returns once the driver's socket is in place (it appears
   * only when the driver answers), at most two minutes, like the startup probe. The kubelet starts
   * the containers after the driver only when this hook has returned.
   */
  static Lifecycle awaitDriverSocket() {
    return new LifecycleBuilder()
        .withNewPostStart()
        .withNewExec()
        .withCommand(
            Images.DRIVER_JAVA_HOME + "/bin/java",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xmx16m",
            "-cp",
            Images.DRIVER_JAR,
            Images.DRIVER_SOCKET_WAIT,
            SOCKET,
            "120")
        .endExec()
        .endPostStart()
        .build();
  }

  /** {@code GET /healthz} on the container's port {@code port}. */
  static HTTPGetAction healthz(String port, String scheme) {
    return new HTTPGetActionBuilder()
        .withPath("/healthz")
        .withNewPort(port)
        .withScheme(scheme)
        .build();
  }

  /**
   * Liveness after the start: five misses in a row, 3 s each (a JIT-cold TLS handshake on a busy
   * node takes more than the default second).
   */
  static Probe liveness(HTTPGetAction get) {
    return new ProbeBuilder()
        .withHttpGet(get)
        .withTimeoutSeconds(3)
        .withPeriodSeconds(10)
        .withFailureThreshold(5)
        .build();
  }

  /** Readiness: answered within 3 s, asked every 5 s. */
  static Probe readiness(HTTPGetAction get) {
    return new ProbeBuilder().withHttpGet(get).withTimeoutSeconds(3).withPeriodSeconds(5).build();
  }

  /**
   * The start: asked every 2 s for up to two minutes; liveness and readiness begin once it answers,
   * so a slow first start is not killed in a loop.
   */
  static Probe startup(HTTPGetAction get) {
    return new ProbeBuilder()
        .withHttpGet(get)
        .withTimeoutSeconds(3)
        .withPeriodSeconds(2)
        .withFailureThreshold(60)
        .build();
  }

  /**
   * Pods of the controller and the webhook: an unprivileged user, the runtime's seccomp profile.
   */
  static PodSecurityContext nonRootPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(65532L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** A CSI sidecar talking to the driver over the shared socket directory. */
  static Container sidecar(String name, String image, List<String> args, VolumeMount... extra) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withArgs(args)
        .addToVolumeMounts(mount("socket-dir", SOCKET_DIR))
        .addToVolumeMounts(extra)
        .withResources(requests("10m", "32Mi"))
        .withSecurityContext(restricted())
        .build();
  }
}

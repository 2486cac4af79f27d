package io.kmetal.storage.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
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
import io.kmetal.storage.model.KubeconfigSecretRef;
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
    return new ContainerPortBuilder()
        .withName("healthz")
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  /** Restart the driver when the livenessprobe sidecar says its socket stopped answering. */
  static Probe driverLiveness() {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath("/healthz")
        .withNewPort("healthz")
        .endHttpGet()
        .withInitialDelaySeconds(10)
        .withTimeoutSeconds(3)
        .withPeriodSeconds(10)
        .withFailureThreshold(5)
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

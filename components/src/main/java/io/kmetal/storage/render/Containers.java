package io.kmetal.storage.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
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

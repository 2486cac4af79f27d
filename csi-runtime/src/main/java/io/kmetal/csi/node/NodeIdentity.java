package io.kmetal.csi.node;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;

/**
 * The CSI node id of a tenant node: the name of its KubeVirt VM in the under cluster, from the
 * node's {@code spec.providerID} ({@code kubevirt://<vm>}, set by the KubeVirt cloud provider) or
 * else its {@code csi.kubevirt.io/infra-vm-name} annotation. The controller hot-plugs into that VM.
 */
public final class NodeIdentity {
  static final String PROVIDER_PREFIX = "kubevirt://";
  static final String VM_NAME = "csi.kubevirt.io/infra-vm-name";

  private NodeIdentity() {}

  /** The VM name of {@code node}; a node that names no VM is refused, naming both sources. */
  public static String vmName(Node node) {
    String name = node.getMetadata().getName();
    String providerId = node.getSpec() == null ? null : node.getSpec().getProviderID();
    if (providerId != null && providerId.startsWith(PROVIDER_PREFIX)) {
      String vm = providerId.substring(PROVIDER_PREFIX.length());
      if (!vm.isBlank()) return vm;
    }
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    String annotated = annotations == null ? null : annotations.get(VM_NAME);
    if (annotated != null && !annotated.isBlank()) return annotated.strip();
    throw new IllegalArgumentException(
        "node "
            + name
            + " names no KubeVirt VM: spec.providerID is "
            + (providerId == null ? "unset" : "\"" + providerId + "\"")
            + " (want kubevirt://<vm>) and it has no "
            + VM_NAME
            + " annotation");
  }
}

package io.kmetal.csi.command;

import io.kmetal.contract.DriverFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which tenant node, and how to reach its cluster: the options {@code node} and {@code node-id}
 * share.
 */
final class TenantNode {
  @Option(
      names = DriverFlags.Node.NODE_NAME,
      required = true,
      description =
          "The tenant node's name; the node id is its KubeVirt VM, from spec.providerID"
              + " (kubevirt://<vm>) or the csi.kubevirt.io/infra-vm-name annotation")
  String name;

  @Option(
      names = DriverFlags.Node.KUBECONFIG,
      description = "The tenant cluster's kubeconfig (default: the pod's service account)")
  Path kubeconfig;

  /** These options as a command line gives them. */
  List<String> arguments() {
    List<String> args = new ArrayList<>(List.of(DriverFlags.Node.NODE_NAME + "=" + name));
    if (kubeconfig != null) args.add(DriverFlags.Node.KUBECONFIG + "=" + kubeconfig);
    return args;
  }
}

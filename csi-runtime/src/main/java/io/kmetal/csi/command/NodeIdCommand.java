package io.kmetal.csi.command;

import io.kmetal.contract.DriverFlags;
import io.kmetal.csi.kube.KubeApi;
import io.kmetal.csi.node.NodeIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kmetal-csi node-id}: one GET of the tenant node, and its KubeVirt VM printed. The node
 * plugin runs it as a child process at start ({@link NodeCommand}); an operator runs it to see the
 * node id a node would get. Exit 0 with the VM name, 1 with the reason it cannot be found.
 */
@Command(
    name = DriverFlags.NodeId.MODE,
    description =
        "Print a tenant node's KubeVirt VM (the node plugin's node id) from one GET of its Node,"
            + " and exit.")
public final class NodeIdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = DriverFlags.Node.NODE_NAME,
      required = true,
      description =
          "The tenant node; its VM is spec.providerID (kubevirt://<vm>) or the"
              + " csi.kubevirt.io/infra-vm-name annotation")
  String nodeName;

  @Option(
      names = DriverFlags.Node.KUBECONFIG,
      description = "The tenant cluster's kubeconfig (default: the pod's service account)")
  Path kubeconfig;

  @Override
  public Integer call() {
    try {
      var node =
          KubeApi.of(kubeconfig)
              .get("/api/v1/nodes/" + nodeName)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          DriverFlags.Node.NODE_NAME
                              + ": no node "
                              + nodeName
                              + " in the cluster"));
      spec.commandLine().getOut().println(NodeIdentity.vmName(node));
      return 0;
    } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    }
  }
}

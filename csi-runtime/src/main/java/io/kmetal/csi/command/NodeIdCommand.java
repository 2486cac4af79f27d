package io.kmetal.csi.command;

import io.kmetal.contract.DriverFlags;
import io.kmetal.csi.kube.KubeApi;
import io.kmetal.csi.node.NodeIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kmetal-csi node-id}: one GET of the tenant node, and its KubeVirt VM printed. The node
 * plugin runs it as a child process at start ({@link NodeCommand}); an operator runs it to see the
 * node id a node would get. Exit 0 with the VM name, 1 with the reason it cannot be found as the
 * last line of standard error.
 */
@Command(
    name = DriverFlags.NodeId.MODE,
    description =
        "Print a tenant node's KubeVirt VM (the node plugin's node id) from one GET of its Node,"
            + " and exit.")
public final class NodeIdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TenantNode node;

  @Override
  public Integer call() {
    try {
      var found =
          KubeApi.of(node.kubeconfig)
              .get("/api/v1/nodes/" + node.name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          DriverFlags.Node.NODE_NAME
                              + ": no node "
                              + node.name
                              + " in the cluster"));
      spec.commandLine().getOut().println(NodeIdentity.vmName(found));
      return 0;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // a defect: its trace for the report, then the reason last, the line the node plugin shows
      e.printStackTrace(spec.commandLine().getErr());
      spec.commandLine().getErr().println("node-id failed unexpectedly: " + e);
      return 1;
    }
  }
}

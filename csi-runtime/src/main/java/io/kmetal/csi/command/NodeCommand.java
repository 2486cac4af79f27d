package io.kmetal.csi.command;

import io.grpc.BindableService;
import io.kmetal.contract.DriverFlags;
import io.kmetal.csi.identity.IdentityService;
import io.kmetal.csi.node.Disks;
import io.kmetal.csi.node.LinuxMounter;
import io.kmetal.csi.node.NodeIdentity;
import io.kmetal.csi.node.NodeService;
import io.kmetal.csi.registration.PluginRegistration;
import io.kmetal.csi.server.CsiServer;
import io.kmetal.csi.server.Endpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmetal-csi node}: Identity and Node on a tenant worker, and the kubelet's plugin
 * registration.
 */
@Command(name = DriverFlags.Node.MODE, description = "Serve Identity and Node (tenant cluster VM).")
public final class NodeCommand extends ServeCommand {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodeCommand.class);

  @Mixin TenantNode node;

  @Option(
      names = DriverFlags.Node.KUBELET_REGISTRATION_PATH,
      description =
          "Register the plugin with the kubelet (what node-driver-registrar does), naming this"
              + " path of the CSI socket on the node, e.g."
              + " /var/lib/kubelet/plugins/csi.kubevirt.io/csi.sock (default: off)")
  String kubeletRegistrationPath;

  @Option(
      names = DriverFlags.Node.REGISTRATION_DIR,
      defaultValue = "/registration",
      description =
          "Where the kubelet's plugin watcher looks for registration sockets: the node's"
              + " /var/lib/kubelet/plugins_registry (default: ${DEFAULT-VALUE})")
  Path registrationDir;

  private PluginRegistration registration;

  @Option(
      names = DriverFlags.Node.DISK_BY_ID_DIR,
      defaultValue = "/dev/disk/by-id",
      description = "Where udev names disks by serial (default: ${DEFAULT-VALUE})")
  Path diskByIdDir;

  /**
   * Serves at once and looks the node up meanwhile, in a child process ({@code node-id}, see {@link
   * NodeIdentity#inChildProcess}), retrying while the API server cannot be reached or the node
   * names no VM: Probe is ready and NodeGetInfo answers once the VM is known; until then
   * NodeGetInfo is UNAVAILABLE with the reason, which is also logged.
   */
  @Override
  List<BindableService> services() {
    var vm = NodeIdentity.lookUp(NodeIdentity.inChildProcess(lookupCommand()));
    return List.of(
        new IdentityService(
            DriverCli.version(),
            IdentityService.pluginCapabilities(),
            () -> vm.known().isPresent()),
        new NodeService(vm::require, new Disks(diskByIdDir), new LinuxMounter()));
  }

  @Override
  List<CsiServer> besides() throws IOException {
    if (kubeletRegistrationPath == null) return List.of();
    registration = new PluginRegistration(IdentityService.DRIVER_NAME, kubeletRegistrationPath);
    Endpoint socket =
        new Endpoint(PluginRegistration.socket(registrationDir, IdentityService.DRIVER_NAME));
    CsiServer server = CsiServer.start(socket, List.of(registration));
    log.info("registration on {} for the kubelet", socket);
    return List.of(server);
  }

  @Override
  Optional<String> problem() {
    return registration == null ? Optional.empty() : registration.problem();
  }

  /** {@code node-id} for this node, run by the same java with the same flags and jar. */
  private List<String> lookupCommand() {
    List<String> command = new ArrayList<>(SameJava.command());
    command.add(DriverFlags.NodeId.MODE);
    command.addAll(node.arguments());
    return command;
  }
}

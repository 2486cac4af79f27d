package io.kmetal.csi;

import io.kmetal.csi.command.DriverCli;
import io.kmetal.csi.command.NodeCommand;
import io.kmetal.csi.command.NodeIdCommand;
import io.kmetal.csi.command.VersionProvider;
import picocli.CommandLine.Command;

/**
 * {@code kmetal-csi node|node-id [options]}: the entry point of the node image's jar ({@code
 * kmetal-csi-node.jar}). Its command line knows only these two commands, and that jar holds what
 * this class reaches, so the under-cluster modes are not in it ({@code DriverJarIT} checks it
 * against the two commands' class closure). {@link Main} is the whole driver.
 */
@Command(
    name = "kmetal-csi",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {NodeCommand.class, NodeIdCommand.class},
    description = "The csi.kubevirt.io CSI driver's node plugin (tenant cluster).")
public final class NodeMain {
  public static void main(String[] args) {
    System.exit(DriverCli.run(new NodeMain(), args));
  }
}

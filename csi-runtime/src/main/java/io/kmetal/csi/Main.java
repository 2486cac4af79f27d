package io.kmetal.csi;

import io.kmetal.csi.command.ControllerCommand;
import io.kmetal.csi.command.DriverCli;
import io.kmetal.csi.command.NodeCommand;
import io.kmetal.csi.command.NodeIdCommand;
import io.kmetal.csi.command.ReleasedCommand;
import io.kmetal.csi.command.VersionProvider;
import io.kmetal.csi.command.WebhookCommand;
import picocli.CommandLine.Command;

/**
 * {@code kmetal-csi controller|node|node-id|webhook|released [options]}: the csi.kubevirt.io driver
 * and the quota webhook in one binary, with the arguments {@code TenantStorage} renders. Each mode
 * is one command class in {@code io.kmetal.csi.command}, the one place its parts are put together.
 * Stops gracefully on SIGTERM.
 */
@Command(
    name = "kmetal-csi",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {
      ControllerCommand.class,
      NodeCommand.class,
      NodeIdCommand.class,
      WebhookCommand.class,
      ReleasedCommand.class
    },
    description =
        "The csi.kubevirt.io CSI driver: controller (under cluster) or node (tenant); the"
            + " tenant's quota admission webhook; and the clean-up of Released volumes.")
public final class Main {
  public static void main(String[] args) {
    System.exit(DriverCli.run(new Main(), args));
  }
}

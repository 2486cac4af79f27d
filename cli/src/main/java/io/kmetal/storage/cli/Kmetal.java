package io.kmetal.storage.cli;

import io.kmetal.csi.command.ReleasedCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code kmetal} Java commands (the shell launcher adds the test-bed ones). */
@Command(
    name = "kmetal",
    mixinStandardHelpOptions = true,
    versionProvider = Kmetal.Version.class,
    description = "kmetal-storage: storage for KubeVirt tenant clusters.",
    subcommands = {
      RenderCommand.class,
      ReleasedCommand.class,
      UsageCommand.class,
      PlanCommand.class,
      SpbmCommand.class
    })
public final class Kmetal {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Kmetal()).execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kmetal-storage " + io.kmetal.storage.model.Images.VERSION};
    }
  }
}

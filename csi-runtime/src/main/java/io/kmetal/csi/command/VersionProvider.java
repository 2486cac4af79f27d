package io.kmetal.csi.command;

import picocli.CommandLine;

/** {@code --version}: the version the jar's manifest carries. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"kmetal-csi " + DriverCli.version()};
  }
}

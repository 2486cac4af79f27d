package io.kmetal.csi.command;

import picocli.CommandLine;

/**
 * How both entry points ({@code Main}, the whole driver, and {@code NodeMain}, the node image's)
 * parse and run their command trees. It names no command, so the node image's jar, whose classes
 * are what {@code NodeMain} reaches, leaves out the under-cluster modes.
 */
public final class DriverCli {
  /**
   * The JDK types picocli would otherwise give a built-in converter by reflection, which loads them
   * and their formatters (java.sql's driver manager, java.time's parsers): some 90 classes a
   * process keeps for its life, about 1 MiB of the node plugin's resident memory. No option of the
   * driver has one of these types ({@code DriverCliTest} checks); an age such as the clean-up's
   * {@code --older-than} is a string the command parses itself.
   */
  static final String UNUSED_CONVERTERS = "java\\.sql\\..*,java\\.time\\..*";

  private DriverCli() {}

  /** Runs {@code args} against the command tree under {@code root}; the exit code. */
  public static int run(Object root, String[] args) {
    return commandLine(root).execute(args);
  }

  /** The command tree under {@code root}, as {@link #run} parses it. */
  public static CommandLine commandLine(Object root) {
    System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
    return new CommandLine(root);
  }

  /** The version the jar's manifest carries ("dev" outside the jar). */
  public static String version() {
    String v = DriverCli.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

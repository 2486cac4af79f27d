package io.kmetal.csi.command;

import io.kmetal.csi.NodeMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the node plugin starts another process of itself ({@code node-id}): the same java, JVM flags
 * and jar.
 */
final class SameJava {
  /**
   * Flags a child must not inherit: they write files (a class archive, logs, recordings) or attach
   * tools, and the image's build trains its class archive on a run of the node plugin.
   */
  private static final List<String> NOT_INHERITED =
      List.of(
          "-XX:ArchiveClassesAtExit",
          "-XX:DumpLoadedClassList",
          "-Xlog",
          "-XX:NativeMemoryTracking",
          "-XX:+PrintNMTStatistics",
          "-XX:StartFlightRecording",
          "-agentlib:",
          "-agentpath:",
          "-javaagent:");

  private SameJava() {}

  /** The command that starts this driver again, up to (not including) its mode. */
  static List<String> command() {
    var info = ProcessHandle.current().info();
    return command(
        info.command()
            .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        info.arguments().map(List::of).orElse(List.of()),
        System.getProperty("java.class.path"));
  }

  /**
   * From this process's java and arguments: its JVM flags and {@code -jar <jar>} when it was
   * started so, else this class path and {@link NodeMain} (not the whole driver's {@code Main},
   * which would bring every mode's classes into the node image's jar).
   */
  static List<String> command(String java, List<String> arguments, String classPath) {
    List<String> command = new ArrayList<>(List.of(java));
    int jar = arguments.indexOf("-jar");
    if (jar < 0 || jar + 1 >= arguments.size()) {
      command.addAll(List.of("-cp", classPath, NodeMain.class.getName()));
      return command;
    }
    for (String flag : arguments.subList(0, jar))
      if (NOT_INHERITED.stream().noneMatch(flag::startsWith)) command.add(flag);
    command.addAll(arguments.subList(jar, jar + 2));
    return command;
  }
}

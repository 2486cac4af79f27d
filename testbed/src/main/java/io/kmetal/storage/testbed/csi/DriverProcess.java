package io.kmetal.storage.testbed.csi;

import io.kmetal.storage.testbed.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged driver ({@code csi-runtime/target/kmetal-csi.jar}) as a process, in {@code
 * controller} or {@code node} mode on a Unix socket, logging to a file: how the test bed runs it
 * where a pod would.
 */
public final class DriverProcess implements AutoCloseable {
  private final Process process;
  private final Path socket;
  private final Path log;

  private DriverProcess(Process process, Path socket, Path log) {
    this.process = process;
    this.socket = socket;
    this.log = log;
  }

  /** Starts {@code mode} with {@code args} (besides --endpoint) and waits for its socket. */
  public static DriverProcess start(String mode, Path socket, Path log, List<String> args)
      throws IOException, InterruptedException {
    return start(List.of("-XX:+UseSerialGC"), mode, socket, log, args);
  }

  /** The same on a JVM started with {@code jvmFlags} (a benchmark runs the images' flags). */
  public static DriverProcess start(
      List<String> jvmFlags, String mode, Path socket, Path log, List<String> args)
      throws IOException, InterruptedException {
    return start(Launcher.packaged(jvmFlags), mode, socket, log, args);
  }

  /**
   * How a driver is started up to its mode: the command (a java, its flags, {@code -jar} and the
   * jar) and the folder it runs in, such as an unpacked image's entrypoint and working directory.
   */
  public record Launcher(List<String> command, Path workingDir) {
    public Launcher {
      command = List.copyOf(command);
    }

    /** The packaged jar ({@link #jar()}) on this machine's java with {@code jvmFlags}. */
    public static Launcher packaged(List<String> jvmFlags) {
      List<String> java = new ArrayList<>(List.of("java"));
      java.addAll(jvmFlags);
      java.addAll(List.of("-jar", jar().toString()));
      return new Launcher(java, Path.of(""));
    }
  }

  /** Starts {@code mode} through {@code launcher}. */
  public static DriverProcess start(
      Launcher launcher, String mode, Path socket, Path log, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(launcher.command());
    command.addAll(List.of(mode, "--endpoint=unix://" + socket));
    command.addAll(args);
    Files.deleteIfExists(socket);
    Process process =
        new ProcessBuilder(command)
            .directory(launcher.workingDir().toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    var driver = new DriverProcess(process, socket, log);
    for (int i = 0; i < 1200 && !Files.exists(socket); i++) {
      if (!process.isAlive())
        throw new IllegalStateException(mode + " exited: " + Files.readString(log));
      TimeUnit.MILLISECONDS.sleep(50);
    }
    if (!Files.exists(socket)) {
      driver.close();
      throw new IllegalStateException(mode + " opened no socket in 60 s; see " + log);
    }
    return driver;
  }

  public static Path jar() {
    return built("kmetal-csi.jar");
  }

  /** The node image's jar: started by csi-runtime's NodeMain (node and node-id only). */
  public static Path nodeJar() {
    return built("kmetal-csi-node.jar");
  }

  private static Path built(String name) {
    Path jar = Sandbox.projectRoot().resolve("csi-runtime/target").resolve(name);
    if (!Files.exists(jar))
      throw new IllegalStateException(
          jar + " is missing: build it with mvn -pl csi-runtime -am package");
    return jar;
  }

  public Path socket() {
    return socket;
  }

  public Path log() {
    return log;
  }

  public Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

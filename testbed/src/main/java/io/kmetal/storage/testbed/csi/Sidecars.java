package io.kmetal.storage.testbed.csi;

import io.kmetal.storage.testbed.PulumiCli;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Kubernetes CSI sidecars as processes, as the controller Deployment runs them: the
 * external provisioner, attacher, resizer and snapshotter against a tenant cluster's API server and
 * the driver's controller socket, plus the tenant's snapshot-controller (the cluster add-on that
 * binds VolumeSnapshots to contents). Each logs to {@code <dir>/<name>.log}.
 */
public final class Sidecars implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  private Sidecars() {}

  /** Starts the chain for the tenant cluster of {@code kubeconfig} and the socket {@code csi}. */
  public static Sidecars start(Path kubeconfig, Path csi, Path dir) throws IOException {
    var sidecars = new Sidecars();
    try {
      List<String> common =
          List.of(
              "--kubeconfig=" + kubeconfig,
              "--csi-address=" + csi,
              "--leader-election=false",
              "--timeout=30s",
              "--retry-interval-start=500ms");
      sidecars.run(
          dir, "csi-provisioner", common, "--extra-create-metadata", "--default-fstype=ext4");
      sidecars.run(dir, "csi-attacher", common);
      sidecars.run(dir, "csi-resizer", common, "--handle-volume-inuse-error=false");
      sidecars.run(dir, "csi-snapshotter", common);
      sidecars.run(
          dir,
          "snapshot-controller",
          List.of(
              "--kubeconfig=" + kubeconfig,
              "--leader-election=false",
              "--retry-interval-start=500ms"));
      return sidecars;
    } catch (IOException | RuntimeException e) {
      sidecars.close();
      throw e;
    }
  }

  private void run(Path dir, String name, List<String> args, String... more) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(PulumiCli.toolsBin().resolve(name).toString());
    command.addAll(args);
    command.addAll(List.of(more));
    processes.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start());
  }

  /** The sidecars that exited (a sidecar exits on a bad flag or a lost driver). */
  public List<String> exited() {
    return processes.stream()
        .filter(p -> !p.isAlive())
        .map(p -> p.info().command().orElse("?"))
        .toList();
  }

  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}

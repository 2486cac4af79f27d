package io.kmetal.storage.testbed.csi;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.kubevirt.KubevirtSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CSI community's conformance suite, the real {@code csi-sanity} binary, against the packaged
 * driver: the controller on the sandbox's under cluster (with the KubeVirt simulator for hot-plug),
 * the node plugin as the worker VM of a tenant node whose providerID names that VM, formatting and
 * mounting the simulator's loop devices. {@code ./kmetal csi-sanity} runs {@link #main}.
 */
public final class CsiSanity {
  static final String NAMESPACE = "csi-sanity";
  static final String VM = "sanity-vm";
  static final String NODE = "csi-sanity-node";
  static final Map<String, String> LABELS = Map.of("csi.kubevirt.io/tenant-cluster", "sanity");

  /** csi-sanity's summary line: passed, failed, pending, skipped. */
  public record Result(
      int passed, int failed, int pending, int skipped, int exitCode, String log) {}

  private CsiSanity() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("csi-sanity-");
    Result result =
        run(dir, System.getenv().getOrDefault("KMETAL_BUS", "scsi"), List.of(args), true);
    System.exit(result.exitCode());
  }

  /**
   * Runs the suite with the controller hot-plugging on {@code bus} and {@code extraArgs} (e.g. a
   * ginkgo focus) in {@code dir}.
   */
  public static Result run(Path dir, String bus, List<String> extraArgs, boolean echo)
      throws Exception {
    Sandbox sandbox = Sandbox.running();
    Sandbox.Cluster tenant = sandbox.tenants().get(0);
    Path config = Files.createDirectories(dir.resolve("driver-config"));
    Files.writeString(config.resolve("infraClusterNamespace"), NAMESPACE);
    Files.writeString(
        config.resolve("infraClusterLabels"), "csi.kubevirt.io/tenant-cluster=sanity");
    try (KubevirtSimulator kubevirt = KubevirtSimulator.start(sandbox, dir.resolve("kubevirt"));
        KubernetesClient under = sandbox.under().client();
        KubernetesClient tenantClient = tenant.client()) {
      under
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      kubevirt.startVm(NAMESPACE, VM, LABELS);
      tenantClient
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(NODE)
                  .endMetadata()
                  .withNewSpec()
                  .withProviderID("kubevirt://" + VM)
                  .endSpec()
                  .build())
          .serverSideApply();
      try (var controller =
              DriverProcess.start(
                  "controller",
                  dir.resolve("controller.sock"),
                  dir.resolve("controller.log"),
                  List.of(
                      "--driver-config=" + config,
                      "--under-kubeconfig=" + sandbox.under().kubeconfig(),
                      "--bus=" + bus,
                      "--attach-timeout-seconds=30"));
          var node =
              DriverProcess.start(
                  "node",
                  dir.resolve("node.sock"),
                  dir.resolve("node.log"),
                  List.of(
                      "--node-name=" + NODE,
                      "--kubeconfig=" + tenant.kubeconfig(),
                      "--disk-by-id-dir=" + kubevirt.byIdDir(VM)))) {
        return sanity(dir, controller.socket(), node.socket(), extraArgs, echo);
      } finally {
        tenantClient.nodes().withName(NODE).delete();
        kubevirt.deleteVm(NAMESPACE, VM);
      }
    }
  }

  private static Result sanity(
      Path dir, Path controller, Path node, List<String> extraArgs, boolean echo)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                PulumiCli.toolsBin().resolve("csi-sanity").toString(),
                "--csi.endpoint=" + node,
                "--csi.controllerendpoint=" + controller,
                "--csi.mountdir=" + dir.resolve("mount"),
                "--csi.stagingdir=" + dir.resolve("staging"),
                "--csi.testvolumesize=" + (64L << 20),
                "--csi.testvolumeexpandsize=" + (128L << 20),
                "--csi.junitfile=" + dir.resolve("junit.xml"),
                "-ginkgo.no-color"));
    command.addAll(extraArgs);
    Path log = dir.resolve("sanity.log");
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    Process sanity =
        echo ? builder.inheritIO().start() : builder.redirectOutput(log.toFile()).start();
    int exit = sanity.waitFor();
    String text = echo ? "" : Files.readString(log);
    Matcher m =
        Pattern.compile("(\\d+) Passed \\| (\\d+) Failed \\| (\\d+) Pending \\| (\\d+) Skipped")
            .matcher(text);
    return m.find()
        ? new Result(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)),
            exit,
            text)
        : new Result(0, 0, 0, 0, exit, text);
  }
}

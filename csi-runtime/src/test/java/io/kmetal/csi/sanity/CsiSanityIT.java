package io.kmetal.csi.sanity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kmetal.storage.testbed.PulumiCli;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CSI community's own conformance suite, the real {@code csi-sanity} binary, against the
 * driver's packaged jar over its Unix socket. So far the driver serves Identity; the Controller and
 * Node groups join this run as those services land.
 */
class CsiSanityIT {
  private static final List<String> GROUPS = List.of("Identity Service", "Controller Service");

  @Test
  void csiSanityPassesEverySpecOfTheServicesTheDriverServes() throws Exception {
    Path dir = Files.createTempDirectory("csi-sanity-");
    Path socket = dir.resolve("csi.sock");
    Sandbox.Cluster under = Sandbox.running().under();
    try (var client = under.client()) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("csi-sanity").endMetadata().build())
          .serverSideApply();
    }
    Path config = Files.createDirectories(dir.resolve("driver-config"));
    Files.writeString(config.resolve("infraClusterNamespace"), "csi-sanity");
    Files.writeString(
        config.resolve("infraClusterLabels"), "csi.kubevirt.io/tenant-cluster=sanity");
    Process driver =
        start(
            dir.resolve("controller.log"),
            "controller",
            "--endpoint=unix://" + socket,
            "--driver-config=" + config,
            "--under-kubeconfig=" + under.kubeconfig());
    // csi-sanity's clean-up asks the node endpoint what it can do, even for controller specs
    Path nodeSocket = dir.resolve("node.sock");
    Process node =
        start(
            dir.resolve("node.log"), "node", "--endpoint=unix://" + nodeSocket, "--node-name=vm-0");
    try {
      for (int i = 0; i < 100 && !(Files.exists(socket) && Files.exists(nodeSocket)); i++)
        Thread.sleep(100);
      assertTrue(Files.exists(socket) && Files.exists(nodeSocket), "the driver opened no socket");
      Path junit = dir.resolve("junit.xml");
      Process sanity =
          new ProcessBuilder(
                  PulumiCli.toolsBin().resolve("csi-sanity").toString(),
                  "--csi.endpoint=" + nodeSocket,
                  "--csi.controllerendpoint=" + socket,
                  "--csi.junitfile=" + junit,
                  "-ginkgo.focus=" + String.join("|", GROUPS),
                  "-ginkgo.no-color")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("sanity.log").toFile())
              .start();
      assertTrue(sanity.waitFor(5, TimeUnit.MINUTES), "csi-sanity did not finish");
      String log = Files.readString(dir.resolve("sanity.log"), StandardCharsets.UTF_8);
      Matcher summary = Pattern.compile("(\\d+) Passed \\| (\\d+) Failed").matcher(log);
      assertTrue(summary.find(), log);
      assertEquals("0", summary.group(2), log);
      assertTrue(Integer.parseInt(summary.group(1)) > 3, "Identity and Controller specs: " + log);
      assertEquals(0, sanity.exitValue(), log);
    } finally {
      for (Process p : List.of(driver, node)) {
        p.destroy();
        p.waitFor(15, TimeUnit.SECONDS);
      }
    }
  }

  private static Process start(Path log, String... args) throws java.io.IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "java",
                "-jar",
                Sandbox.projectRoot().resolve("csi-runtime/target/kmetal-csi.jar").toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}

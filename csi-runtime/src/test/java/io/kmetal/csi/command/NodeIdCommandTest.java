package io.kmetal.csi.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.csi.Main;
import io.kmetal.csi.kube.KubeFake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmetal-csi node-id}'s answers, from a stand-in API server where one is needed. */
class NodeIdCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return DriverCli.commandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void aKubeconfigThatCannotBeReadIsExitOneWithTheReasonAndNothingOnStdout(@TempDir Path dir) {
    Path missing = dir.resolve("kubeconfig");

    assertEquals(1, run("node-id", "--node-name=w1", "--kubeconfig=" + missing));
    assertEquals("", out.toString());
    assertTrue(err.toString().contains(missing.toString()), err.toString());
  }

  @Test
  void withoutTheNodeNameItIsAUsageError() {
    assertEquals(2, run("node-id"));
    assertTrue(err.toString().contains("--node-name"), err.toString());
  }

  @Test
  void itPrintsTheVmTheNodeNamesAsItsOnlyLine(@TempDir Path dir) throws Exception {
    String node =
        """
        {"kind": "Node", "metadata": {"name": "w1"}, "spec": {"providerID": "kubevirt://vm-7"}}
        """;
    try (var api = KubeFake.answering(200, node)) {
      Path kubeconfig = KubeFake.kubeconfig(dir.resolve("kubeconfig"), api.uri().toString());

      assertEquals(
          0, run("node-id", "--node-name=w1", "--kubeconfig=" + kubeconfig), err.toString());
      assertEquals("vm-7" + System.lineSeparator(), out.toString());
      assertEquals(List.of("GET /api/v1/nodes/w1"), api.requests());
    }
  }
}

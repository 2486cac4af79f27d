package io.kmetal.csi.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.csi.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmetal-csi node-id}'s answers where no API server is needed to give them. */
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
}

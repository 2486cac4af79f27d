package io.kmetal.storage.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runbook sections parse into commands, each with what it promises to print. */
class RunbookTest {
  @Test
  void everyCommandOfTheReadmesTroubleshootingSaysWhatItPrints() throws Exception {
    Runbook runbook =
        Runbook.readmeSection(Sandbox.projectRoot().resolve("README.md"), "Troubleshooting");
    assertTrue(runbook.steps().size() >= 8, runbook.steps().toString());
    for (Runbook.Step s : runbook.steps()) {
      assertTrue(s.command().startsWith("kubectl --kubeconfig \""), s.command());
      assertFalse(s.expected().isBlank(), s.command());
    }
  }

  @Test
  void aCommandWithoutItsPromiseIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Runbook.parse("```sh\nkubectl get pods\nkubectl get nodes\n# → c1\n```\n"));
    assertEquals(
        "command \"kubectl get pods\" has no \"# → …\" line saying what it prints", e.getMessage());
  }

  @Test
  void onlyShellBlocksCountAndCommentsAreSkipped() {
    Runbook r =
        Runbook.parse("text\n```yaml\nkey: value\n```\n```sh\n# a comment\necho hi\n# → hi\n```\n");
    assertEquals(List.of(new Runbook.Step("echo hi", "hi")), r.steps());
  }

  @Test
  void stepsRunInBashWithTheGivenEnvironment() throws Exception {
    Runbook r = Runbook.parse("```sh\necho \"$WHO\"\n# → alpha\n```\n");
    var outcome = r.run(Files.createTempDirectory("runbook-"), Map.of("WHO", "alpha")).get(0);
    assertEquals(0, outcome.exitCode());
    assertTrue(outcome.printedWhatItPromises(), outcome.output());
  }

  @Test
  void aStepThatHasNotPrintedItsPromiseRunsAgainUpToThreeTimes() throws Exception {
    Path dir = Files.createTempDirectory("runbook-");
    String counted = "n=$(( $(cat n 2>/dev/null || echo 0) + 1 )); echo $n > n; echo \"try $n\"";
    var second = Runbook.parse("```sh\n" + counted + "\n# → try 2\n```\n");
    assertEquals("try 2", second.run(dir, Map.of(), Duration.ZERO).get(0).output().strip());

    Files.delete(dir.resolve("n"));
    var never = Runbook.parse("```sh\n" + counted + "\n# → try 9\n```\n");
    var outcome = never.run(dir, Map.of(), Duration.ZERO).get(0);
    assertFalse(outcome.printedWhatItPromises());
    assertEquals("try " + Runbook.ATTEMPTS, outcome.output().strip());
  }
}

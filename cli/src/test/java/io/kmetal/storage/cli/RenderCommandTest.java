package io.kmetal.storage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.testbed.FixtureFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code kmetal render} as the README shows it: the summary, the notes, nothing on bad input. */
class RenderCommandTest {
  private static KmetalRun render(Path fleet, Path output) {
    return KmetalRun.of("render", "-f", fleet.toString(), "-o", output.toString());
  }

  @Test
  void theAcceptanceFleetRendersTheReadmesSummaryAndNotes() throws Exception {
    Path output = Files.createTempDirectory("render-");
    KmetalRun run = render(FixtureFiles.dir().resolve("fleet.yaml"), output);
    assertEquals(0, run.exit(), run.err());
    assertTrue(
        run.out()
            .contains(
                "rendered 71 objects into "
                    + output
                    + ":\n  tenants/alpha/alpha-dev/: 13\n  tenants/alpha/alpha-prod/: 13\n"
                    + "  under/: 45\n"),
        run.out());
    assertTrue(
        run.err().contains("or let cert-manager issue it (webhook.certificate.certManager)"),
        run.err());
    assertTrue(
        run.err()
            .contains(
                "note: tenantStorages alpha: its infra class tenant-storage-class has no snapshot"
                    + " class in this fleet"),
        run.err());
    assertTrue(
        run.err().contains("note: hppOverlays vm-state: apply the KubeVirt patch"), run.err());
    assertTrue(
        run.err()
            .contains("pulumi up writes their kubeconfig Secrets <cluster>-<account>-kubeconfig"),
        run.err());
    assertTrue(Files.isDirectory(output.resolve("under")));
  }

  @Test
  void anInvalidFleetExitsOneAndWritesNothing() throws Exception {
    Path output = Files.createTempDirectory("render-").resolve("out");
    KmetalRun run = render(FixtureFiles.dir().resolve("invalid/two-default-classes.yaml"), output);
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("nothing was rendered or applied"), run.err());
    assertFalse(Files.exists(output), "nothing written");
  }
}

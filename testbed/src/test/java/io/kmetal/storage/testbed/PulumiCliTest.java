package io.kmetal.storage.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The work copy's Pulumi.yaml names the test bed's kubernetes provider instead of PATH. */
class PulumiCliTest {
  @Test
  void theWorkCopyNamesTheTestBedsKubernetesProvider() {
    String copy = PulumiCli.withTestBedProvider("name: x\nruntime: yaml\n", Path.of("/cache/bin"));
    assertEquals(
        "name: x\nruntime: yaml\n\n# added by the test bed: its own build of the kubernetes"
            + " provider\nplugins:\n  providers:\n    - name: kubernetes\n      path: /cache/bin\n",
        copy);
  }

  @Test
  void aProjectWithPluginsOfItsOwnIsRefusedRatherThanGivenTwoSections() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PulumiCli.withTestBedProvider(
                    "name: x\nplugins:\n  providers: []\n", Path.of("/cache/bin")));
    assertEquals(
        "Pulumi.yaml has a plugins section already; merge the test bed's kubernetes entry",
        e.getMessage());
  }
}

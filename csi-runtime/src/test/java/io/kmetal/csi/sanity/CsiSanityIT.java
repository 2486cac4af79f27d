package io.kmetal.csi.sanity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  private static final List<String> GROUPS = List.of("Identity Service");

  @Test
  void csiSanityPassesEverySpecOfTheServicesTheDriverServes() throws Exception {
    Path dir = Files.createTempDirectory("csi-sanity-");
    Path socket = dir.resolve("csi.sock");
    Path jar = Sandbox.projectRoot().resolve("csi-runtime/target/kmetal-csi.jar");
    Process driver =
        new ProcessBuilder(
                "java",
                "-jar",
                jar.toString(),
                "--mode",
                "controller",
                "--endpoint",
                "unix://" + socket)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("driver.log").toFile())
            .start();
    try {
      for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(100);
      assertTrue(Files.exists(socket), "the driver did not open its socket");
      Path junit = dir.resolve("junit.xml");
      Process sanity =
          new ProcessBuilder(
                  PulumiCli.toolsBin().resolve("csi-sanity").toString(),
                  "--csi.endpoint=" + socket,
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
      assertEquals(3, Integer.parseInt(summary.group(1)), "the Identity specs: " + log);
      assertEquals(0, sanity.exitValue(), log);
    } finally {
      driver.destroy();
      driver.waitFor(15, TimeUnit.SECONDS);
    }
  }
}

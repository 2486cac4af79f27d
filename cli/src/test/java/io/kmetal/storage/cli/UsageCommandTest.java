package io.kmetal.storage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmetal.storage.cli.usage.HeldNamespaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kmetal usage}'s exit status and messages where no cluster is needed; over a real under
 * cluster in {@code UsageCommandIT}.
 */
class UsageCommandTest {
  private static KmetalRun usage(String... args) {
    List<String> all = new ArrayList<>(List.of("usage"));
    all.addAll(List.of(args));
    return KmetalRun.of(all);
  }

  @Test
  void aKubeconfigThatCannotBeReadIsExitOneNamingTheFlag() {
    KmetalRun run = usage("--kubeconfig=/nonexistent/kubeconfig");

    assertEquals(1, run.exit());
    assertTrue(
        run.err()
            .startsWith(
                "kmetal usage: cannot read the under cluster with --kubeconfig"
                    + " /nonexistent/kubeconfig: "),
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void anOutputFormatOtherThanTableOrJsonIsAUsageError() {
    KmetalRun run = usage("--kubeconfig=/nonexistent/kubeconfig", "-o", "yaml");

    assertEquals(2, run.exit());
    assertTrue(
        run.err().contains("-o: \"yaml\" is no output format; use table or json"), run.err());
  }

  @Test
  void theKubeconfigIsRequired() {
    KmetalRun run = usage("--tenant=acme");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("Missing required option: '--kubeconfig=UNDER'"), run.err());
  }

  private static UsageCommand command(String tenant, String output) {
    UsageCommand command = new UsageCommand();
    command.tenant = tenant;
    command.output = output;
    command.clock = Clock.fixed(HeldNamespaces.NOW, ZoneOffset.UTC);
    return command;
  }

  @Test
  void anUnknownTenantIsExitThreeNamingTheTenantsThereAre() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit =
        command("hooli", "table")
            .report(HeldNamespaces.fleet(), new PrintWriter(out, true), new PrintWriter(err, true));

    assertEquals(UsageCommand.UNKNOWN_TENANT, exit);
    assertTrue(
        err.toString()
            .startsWith(
                "kmetal usage: no tenant \"hooli\" in the under cluster (tenants: acme, globex,"
                    + " initech)"),
        err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void oneTenantAsJsonIsExitZero() throws Exception {
    StringWriter out = new StringWriter();

    int exit =
        command("globex", "json")
            .report(
                HeldNamespaces.fleet(), new PrintWriter(out, true), new PrintWriter(System.err));

    assertEquals(0, exit);
    var tenants = new ObjectMapper().readTree(out.toString()).get("tenants");
    assertEquals(1, tenants.size());
    assertEquals("globex", tenants.get(0).get("tenant").asText());
    assertTrue(tenants.get(0).get("quotaStatus").isNull());
  }
}

package io.kmetal.storage.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.cli.usage.JsonPrinter;
import io.kmetal.storage.cli.usage.KubeNamespaces;
import io.kmetal.storage.cli.usage.Survey;
import io.kmetal.storage.cli.usage.TablePrinter;
import io.kmetal.storage.cli.usage.UnderNamespaces;
import io.kmetal.storage.cli.usage.UsageReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kmetal usage --kubeconfig UNDER [--tenant T] [-o table|json]}: each tenant's storage quota
 * as the quota webhook counts it, per tenant cluster, with the claims behind it.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = {
      "Each tenant's storage in the under cluster: the quota's hard limit, what its claims use,"
          + " what the quota webhook admitted that is not provisioned yet (pending), what is free"
          + " and used+pending in %% of hard; per tenant cluster, and the claims behind them.",
      "Read from the tenants' ResourceQuotas, their claims and DataVolumes, and the webhook's"
          + " ledger, counted the way the webhook counts."
    },
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
      "0:the report",
      "1:the under cluster cannot be read",
      "2:a wrong option",
      "3:no such tenant"
    })
final class UsageCommand implements Callable<Integer> {
  static final int UNREADABLE = 1;
  static final int UNKNOWN_TENANT = 3;

  @Spec CommandSpec spec;

  /** When admissions in the ledger expire against; a test fixes it. */
  Clock clock = Clock.systemUTC();

  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "UNDER",
      description = "The under cluster's kubeconfig")
  Path kubeconfig;

  @Option(
      names = "--tenant",
      paramLabel = "T",
      description = "Only this tenant (default: every tenant)")
  String tenant;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "table|json",
      description = "table (sizes in Gi/Mi) or json (exact bytes); default: table")
  String output;

  @Override
  public Integer call() {
    if (!output.equals("table") && !output.equals("json"))
      throw new ParameterException(
          spec.commandLine(), "-o: \"" + output + "\" is no output format; use table or json");
    // fabric8 warns on stderr that DataVolume is v1beta1, which tells the reader nothing
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
        "error");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Config config;
    try {
      config = config(kubeconfig);
    } catch (IOException | RuntimeException e) {
      return unreadable(err, "", e);
    }
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      return report(new KubeNamespaces(client), out, err);
    } catch (KubernetesClientException e) {
      return unreadable(err, " " + config.getMasterUrl(), e);
    }
  }

  private int unreadable(PrintWriter err, String server, Exception e) {
    err.println(
        "kmetal usage: cannot read the under cluster"
            + server
            + " with --kubeconfig "
            + kubeconfig
            + ": "
            + KubeClients.describe(e));
    err.flush();
    return UNREADABLE;
  }

  /** Reads the tenants asked about from {@code under} and prints them; the exit status. */
  int report(UnderNamespaces under, PrintWriter out, PrintWriter err) {
    UsageReport report;
    try {
      report = Survey.take(under, tenant, clock.instant());
    } catch (Survey.UnknownTenant e) {
      err.println("kmetal usage: " + e.getMessage());
      err.flush();
      return UNKNOWN_TENANT;
    }
    if (output.equals("json")) JsonPrinter.print(report, out);
    else TablePrinter.print(report, out);
    return 0;
  }

  /**
   * The kubeconfig's cluster, tried once: fabric8 retries a refused connection with back-off for
   * about 20 s by default (22 s measured), too long for a person waiting on a report they can run
   * again.
   */
  private static Config config(Path kubeconfig) throws IOException {
    Config config = KubeClients.config(kubeconfig);
    config.setRequestRetryBackoffLimit(0);
    return config;
  }
}

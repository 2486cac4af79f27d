package io.kmetal.storage.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.contract.ClientKeys;
import io.kmetal.storage.cli.released.Cleanup;
import io.kmetal.storage.cli.released.KubeVolumes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kmetal released --kubeconfig UNDER [--older-than 30d] [--delete --yes]}: the Released
 * volumes that {@code Retain} tiers leave behind; a dry run unless both flags are given.
 */
@Command(
    name = "released",
    mixinStandardHelpOptions = true,
    description = {
      "List the under cluster's Released PersistentVolumes of Retain classes: former claim, size,"
          + " age. Dry run by default; --delete --yes deletes them, one at a time.",
      "Never a Bound volume, never one whose class reclaims with Delete."
    })
final class ReleasedCommand implements Callable<Integer> {
  static final int UNREADABLE = 1;

  @Spec CommandSpec spec;

  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "UNDER",
      description = "The under cluster's kubeconfig")
  Path kubeconfig;

  @Option(
      names = "--older-than",
      defaultValue = "0",
      paramLabel = "AGE",
      description = "Only volumes Released at least this long: 30d, 12h, 90m (default: any)")
  String olderThan;

  @Option(
      names = "--storage-class",
      paramLabel = "CLASS",
      description = "Only volumes of this class (one Retain tier; default: every class)")
  String storageClass;

  @Option(names = "--delete", description = "Delete them (with --yes)")
  boolean delete;

  @Option(names = "--yes", description = "Confirm --delete")
  boolean yes;

  @Override
  public Integer call() {
    if (delete != yes)
      throw new ParameterException(
          spec.commandLine(), "--delete and --yes go together: a deletion needs both");
    var age = Cleanup.age(olderThan, spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = client()) {
      return new Cleanup(new KubeVolumes(client, Clock.systemUTC()), out)
          .run(age, storageClass, delete);
    } catch (IOException | KubernetesClientException e) {
      err.println(
          "kmetal released: cannot read the under cluster with --kubeconfig "
              + kubeconfig
              + ": "
              + reason(e));
      return UNREADABLE;
    }
  }

  /** The innermost message: fabric8 wraps the cause in "An error has occurred." */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
  }

  private KubernetesClient client() throws IOException {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    if (ClientKeys.isEc(config.getClientKeyData())) config.setClientKeyAlgo("EC");
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}

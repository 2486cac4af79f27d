package io.kmetal.csi.command;

import io.kmetal.contract.DriverFlags.Released;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.released.Cleanup;
import io.kmetal.csi.released.KubeVolumes;
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
 * {@code released [--kubeconfig UNDER] [--older-than 30d] [--storage-class C] [--delete --yes]}:
 * the Released volumes that {@code Retain} tiers leave behind; a dry run unless both flags are
 * given. One command in two homes: {@code kmetal released} on an operator's machine, and {@code
 * kmetal-csi released} in the image, which a tier's {@code retainCleanup} CronJob runs with its
 * service account.
 */
@Command(
    name = Released.MODE,
    mixinStandardHelpOptions = true,
    description = {
      "List the under cluster's Released PersistentVolumes of Retain classes: former claim, size,"
          + " age. Dry run by default; --delete --yes deletes them, one at a time.",
      "Never a Bound volume, never one whose class reclaims with Delete."
    })
public final class ReleasedCommand implements Callable<Integer> {
  static final int UNREADABLE = 1;

  @Spec CommandSpec spec;

  @Option(
      names = Released.KUBECONFIG,
      paramLabel = "UNDER",
      description =
          "The under cluster's kubeconfig (default: in a pod its service account, elsewhere"
              + " $KUBECONFIG or ~/.kube/config)")
  Path kubeconfig;

  @Option(
      names = Released.OLDER_THAN,
      defaultValue = "0",
      paramLabel = "AGE",
      description = "Only volumes Released at least this long: 30d, 12h, 90m (default: any)")
  String olderThan;

  @Option(
      names = Released.STORAGE_CLASS,
      paramLabel = "CLASS",
      description = "Only volumes of this class (one Retain tier; default: every class)")
  String storageClass;

  @Option(names = Released.DELETE, description = "Delete them (with --yes)")
  boolean delete;

  @Option(names = Released.YES, description = "Confirm --delete")
  boolean yes;

  @Override
  public Integer call() {
    if (delete != yes)
      throw new ParameterException(
          spec.commandLine(), "--delete and --yes go together: a deletion needs both");
    var age = Cleanup.age(olderThan, spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return new Cleanup(new KubeVolumes(KubeClient.of(kubeconfig), Clock.systemUTC()), out)
          .run(age, storageClass, delete);
    } catch (IOException | KubeClient.Failure e) {
      err.println(
          "released: cannot read the under cluster with "
              + (kubeconfig == null ? "the default kubeconfig" : "--kubeconfig " + kubeconfig)
              + ": "
              + e.getMessage());
      return UNREADABLE;
    }
  }
}

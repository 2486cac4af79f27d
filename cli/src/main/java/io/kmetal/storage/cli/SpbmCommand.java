package io.kmetal.storage.cli;

import io.kmetal.storage.cli.plan.Demand;
import io.kmetal.storage.cli.plan.InvalidInputException;
import io.kmetal.storage.cli.plan.PlanTable;
import io.kmetal.storage.cli.plan.Planner;
import io.kmetal.storage.cli.spbm.Gap;
import io.kmetal.storage.cli.spbm.ImportOptions;
import io.kmetal.storage.cli.spbm.ImportResult;
import io.kmetal.storage.cli.spbm.Mapping;
import io.kmetal.storage.cli.spbm.Policy;
import io.kmetal.storage.cli.spbm.PolicyReader;
import io.kmetal.storage.cli.spbm.SpbmImport;
import io.kmetal.storage.cli.spbm.TierYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmetal spbm import POLICIES.yaml -o TIERS.yaml [--plan]}: VMware SPBM to tiers. */
@Command(
    name = "spbm",
    mixinStandardHelpOptions = true,
    description = "VMware SPBM storage policies to storage tiers.",
    subcommands = {SpbmCommand.Import.class})
final class SpbmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: kmetal spbm import");
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Map an inventory of SPBM policies to storageTiers (a fleet-file fragment), printing every"
            + " decision with its reason: replicas or erasure coding from FTT and the failure"
            + " tolerance method, deviceClass from the storage type, encryption as a requirement on"
            + " the pool, the IOPS limit as StorageClass parameters where the driver takes them.",
        "Settings without a counterpart are listed as gaps and policies that cannot be mapped are"
            + " listed with why; neither stops the import. The tiers are checked by the fleet"
            + " validator before anything is written."
      },
      exitCodeListHeading = "Exit status:%n",
      exitCodeList = {
        "0:the tiers were written (gaps and policies not mapped, if any, are listed)",
        "1:invalid input, or a tier the validator refuses: the problems are listed, nothing is"
            + " written",
        "2:a usage error"
      })
  static final class Import implements Callable<Integer> {
    static final int INVALID = 1;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POLICIES.yaml", description = "The SPBM inventory.")
    Path policies;

    @Option(
        names = {"-o", "--output"},
        required = true,
        paramLabel = "TIERS.yaml",
        description = "Where to write the storageTiers (replaced).")
    Path output;

    @Option(
        names = "--plan",
        description =
            "Also print the capacity plan of the imported tiers from each policy's"
                + " vmCount and capacity.")
    boolean plan;

    @Option(
        names = "--backend",
        defaultValue = "cephRbd",
        paramLabel = "cephRbd|csi",
        description = "The tiers' backend; default: ${DEFAULT-VALUE}.")
    ImportOptions.Kind backend;

    @Option(
        names = "--provisioner",
        paramLabel = "DRIVER",
        description = "The CSI driver; default rbd.csi.ceph.com for cephRbd, required for csi.")
    String provisioner;

    @Option(
        names = "--cluster-id",
        defaultValue = ImportOptions.DEFAULT_CLUSTER_ID,
        paramLabel = "ID",
        description = "ceph-csi's clusterID (cephRbd); default: ${DEFAULT-VALUE}.")
    String clusterID;

    @Option(
        names = "--pool-prefix",
        defaultValue = "",
        paramLabel = "PREFIX",
        description =
            "Put before every pool name (cephRbd: <prefix><tier>, or <prefix><tier>-metadata"
                + " and <prefix><tier>-data for erasure coding); default: none.")
    String poolPrefix;

    @Option(
        names = "--secret-namespace",
        paramLabel = "NAMESPACE",
        description = "cephRbd secretNamespace (the Rook/ODF secret parameters); default: none.")
    String secretNamespace;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (backend == ImportOptions.Kind.csi && provisioner == null) {
        throw new ParameterException(
            spec.commandLine(), "--backend csi needs --provisioner DRIVER");
      }
      ImportOptions options =
          new ImportOptions(backend, provisioner, clusterID, poolPrefix, secretNamespace);
      ImportResult result;
      String text;
      try {
        List<Policy> read = PolicyReader.read(Files.readString(policies), policies.toString());
        result = SpbmImport.run(read, options, policies.toString());
        text = TierYaml.render(result, header(result), policies.toString());
      } catch (InvalidInputException e) {
        err.println(
            InvalidInputException.describe(e.source(), e.problems(), "nothing was written"));
        return INVALID;
      } catch (NoSuchFileException e) {
        err.println("error: policy inventory " + policies + " does not exist");
        return INVALID;
      }
      try {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(output, text);
      } catch (IOException e) {
        err.println("error: cannot write " + output + ": " + e);
        return INVALID;
      }
      result.decisions().forEach(out::println);
      List<Gap> gaps = result.gaps();
      out.println(gaps.isEmpty() ? "gaps: none" : "gaps (settings the tiers do not carry):");
      gaps.forEach(g -> out.println("  " + g));
      List<Mapping> notMapped = result.notMapped();
      out.println(notMapped.isEmpty() ? "not mapped: none" : "not mapped (no tier written):");
      notMapped.forEach(m -> out.println("  " + m.notMappedLine()));
      out.println(
          "wrote "
              + result.tiers().size()
              + " of "
              + result.mappings().size()
              + " policies as storageTiers to "
              + output
              + " ("
              + gaps.size()
              + (gaps.size() == 1 ? " gap" : " gaps")
              + ", "
              + notMapped.size()
              + " not mapped); merge them into a fleet file");
      if (plan) plan(out, result);
      out.flush();
      return 0;
    }

    private static List<String> header(ImportResult result) {
      List<String> lines = new ArrayList<>();
      lines.add(
          "storageTiers imported from SPBM policies by `kmetal spbm import`; merge them into");
      lines.add("a fleet file. Decisions and their reasons are in the command's output.");
      if (!result.gaps().isEmpty()) {
        lines.add("");
        lines.add("Gaps (policy settings these tiers do not carry):");
        result.gaps().forEach(g -> lines.add("  " + g));
      }
      if (!result.notMapped().isEmpty()) {
        lines.add("");
        lines.add("Not mapped (no tier here):");
        result.notMapped().forEach(m -> lines.add("  " + m.notMappedLine()));
      }
      return lines;
    }

    private static void plan(PrintWriter out, ImportResult result) {
      List<Demand> demands = new ArrayList<>();
      List<String> leftOut = new ArrayList<>();
      for (Mapping m : result.mapped()) {
        Policy p = m.policy();
        if (p.vmCount() != null && p.vmCount() > 0 && p.capacity() != null) {
          demands.add(Demand.total(m.tierName(), p.vmCount(), p.capacity()));
        } else {
          leftOut.add(m.tierName());
        }
      }
      out.println();
      out.println("capacity plan of the imported tiers (each policy's vmCount and capacity):");
      if (!demands.isEmpty()) out.print(PlanTable.render(Planner.plan(result.tiers(), demands)));
      leftOut.forEach(
          t ->
              out.println(
                  "plan: " + t + " left out (its policy gives no vmCount above 0 and capacity)"));
    }
  }
}

package io.kmetal.storage.cli;

import io.kmetal.storage.cli.plan.Demand;
import io.kmetal.storage.cli.plan.DemandReader;
import io.kmetal.storage.cli.plan.DemandRules;
import io.kmetal.storage.cli.plan.InvalidInputException;
import io.kmetal.storage.cli.plan.Plan;
import io.kmetal.storage.cli.plan.PlanJson;
import io.kmetal.storage.cli.plan.PlanTable;
import io.kmetal.storage.cli.plan.Planner;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.validation.InvalidSpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmetal plan -f FLEET.yaml --demand DEMAND.yaml|.csv [-o table|json]}. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Capacity plan: per tier the usable capacity the demanded VMs need and the raw capacity its"
          + " pool needs for it (the tier's protection: N replicas ×N, erasure coding k+m"
          + " ×(k+m)/k, divided by its compressionRatio), with totals per device class.",
      "The demand file is YAML (demand: [{tier: gold, vms: 40, averageSize: 200Gi}]) or CSV"
          + " (header tier,vms,averageSize); a tier is named by its name or storageClassName and"
          + " must declare protection.",
      "Invalid input prints every problem and no plan."
    },
    exitCodeListHeading = "Exit status:%n",
    exitCodeList = {
      "0:the plan was printed",
      "1:invalid input (the problems are listed; no plan)",
      "2:a usage error"
    })
final class PlanCommand implements Callable<Integer> {
  static final int INVALID = 1;

  enum Format {
    table,
    json
  }

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FLEET.yaml",
      description = "The fleet file whose tiers are planned.")
  Path file;

  @Option(
      names = "--demand",
      required = true,
      paramLabel = "DEMAND.yaml|DEMAND.csv",
      description = "VMs and average size per tier, YAML or CSV (by extension).")
  Path demand;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "table|json",
      description =
          "table (binary units) or json (exact bytes and factors); default: ${DEFAULT-VALUE}.")
  Format output;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Fleet fleet;
    try {
      fleet = FleetFile.load(file);
    } catch (InvalidSpecException e) {
      err.println(
          InvalidInputException.describe(file.toString(), e.problems(), "nothing was planned"));
      return INVALID;
    } catch (NoSuchFileException e) {
      err.println("error: fleet file " + file + " does not exist");
      return INVALID;
    }
    List<Demand> demands;
    try {
      demands =
          DemandRules.resolve(DemandReader.read(demand), fleet.storageTiers(), file.toString());
    } catch (InvalidInputException e) {
      err.println(InvalidInputException.describe(e.source(), e.problems(), "nothing was planned"));
      return INVALID;
    } catch (NoSuchFileException e) {
      err.println("error: demand file " + demand + " does not exist");
      return INVALID;
    }
    Plan plan = Planner.plan(fleet.storageTiers(), demands);
    out.print(output == Format.json ? PlanJson.render(plan) : PlanTable.render(plan));
    out.flush();
    return 0;
  }
}

package io.kmetal.storage.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real pulumi CLI built by {@code ./kmetal tools}, run in one project folder against a local
 * file state backend with a passphrase, and no plugin downloads.
 */
public final class PulumiCli {
  /** What a command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {
    public Result requireSuccess(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " failed with exit " + exitCode + ":\n" + tail(output));
      }
      return this;
    }
  }

  /** One step of {@code pulumi preview --json}: the operation, the resource type and name. */
  public record Step(String op, String type, String name) {}

  private final Path project;
  private final Path pulumi;
  private final Map<String, String> env = new HashMap<>();

  /**
   * @param project the folder with Pulumi.yaml; the CLI runs in a copy of it under {@code state}
   *     (Pulumi.yaml copied, everything else linked) so stack files never land in the work tree
   * @param state where the file backend keeps stacks (the test's own folder)
   */
  public PulumiCli(Path project, Path state) {
    this.project = workCopy(project, state.resolve("project"));
    Path bin = toolsBin();
    this.pulumi = bin.resolve("pulumi");
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("PULUMI_BACKEND_URL", "file://" + state.toAbsolutePath());
    env.put("PULUMI_CONFIG_PASSPHRASE", "kmetal-test-passphrase");
    env.put("PULUMI_SKIP_UPDATE_CHECK", "true");
    env.put("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true");
    env.put("PULUMI_HOME", state.resolve(".pulumi-home").toAbsolutePath().toString());
    env.put("PULUMI_DIY_BACKEND_NO_LEGACY_WARNING", "true");
  }

  private static Path workCopy(Path project, Path copy) {
    try {
      Files.createDirectories(copy);
      try (var entries = Files.list(project)) {
        for (Path entry : entries.toList()) {
          Path target = copy.resolve(entry.getFileName().toString());
          if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
          if (entry.getFileName().toString().equals("Pulumi.yaml"))
            Files.writeString(target, withTestBedProvider(Files.readString(entry), toolsBin()));
          else if (!entry.getFileName().toString().startsWith("Pulumi."))
            Files.createSymbolicLink(target, entry.toAbsolutePath());
        }
      }
      return copy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare a work copy of " + project, e);
    }
  }

  /**
   * {@code pulumiYaml} naming the test bed's own build of the kubernetes provider, so the engine
   * takes it from there and says nothing; found on PATH instead, every preview would carry a "using
   * pulumi-resource-kubernetes from $PATH" warning per provider around the diff.
   */
  static String withTestBedProvider(String pulumiYaml, Path bin) {
    if (pulumiYaml.lines().anyMatch(l -> l.startsWith("plugins:")))
      throw new IllegalStateException(
          "Pulumi.yaml has a plugins section already; merge the test bed's kubernetes entry");
    return pulumiYaml
        + (pulumiYaml.endsWith("\n") ? "" : "\n")
        + "\n# added by the test bed: its own build of the kubernetes provider\n"
        + "plugins:\n  providers:\n    - name: kubernetes\n      path: "
        + bin.toAbsolutePath()
        + "\n";
  }

  /** {@code $KMETAL_CACHE/tools/bin}, where {@code ./kmetal tools} puts pulumi and its plugins. */
  public static Path toolsBin() {
    String cache = System.getenv("KMETAL_CACHE");
    Path root =
        cache != null
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache/kmetal-storage");
    Path bin = root.resolve("tools/bin");
    if (!Files.isExecutable(bin.resolve("pulumi"))) {
      throw new IllegalStateException(
          bin + "/pulumi is missing: build the test bed with ./kmetal tools");
    }
    return bin;
  }

  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(pulumi.toString()); // the child's PATH does not decide which program starts
    command.add("--non-interactive");
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("pulumi-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(project.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(
            "pulumi " + String.join(" ", args) + " did not finish in 20 minutes");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run pulumi", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The steps a {@code pulumi preview --json} would take, without "same" steps and reads (a read
   * changes nothing; the feature-gate patches read the KubeVirt CR on every run).
   */
  public List<Step> previewSteps(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("preview", "--json"));
    args.addAll(List.of(extraArgs));
    Result r = run(args.toArray(String[]::new));
    String out = r.output();
    int start = out.indexOf('{');
    if (r.exitCode() != 0 || start < 0)
      throw new AssertionError("pulumi preview failed:\n" + tail(out));
    try {
      JsonNode json = new ObjectMapper().readTree(out.substring(start));
      List<Step> steps = new ArrayList<>();
      for (JsonNode step : json.path("steps")) {
        String op = step.path("op").asText();
        if (op.equals("same") || op.equals("read")) continue;
        String urn = step.path("urn").asText();
        String[] parts = urn.split("::");
        String type = parts[parts.length - 2];
        type = type.substring(type.lastIndexOf('$') + 1);
        steps.add(new Step(op, type, parts[parts.length - 1]));
      }
      return steps;
    } catch (IOException e) {
      throw new AssertionError("unreadable preview JSON:\n" + tail(out), e);
    }
  }

  /**
   * The steps a preview would take with config {@code key} set to {@code value}; the key is set
   * back to {@code restore} afterwards, whatever the preview did.
   */
  public List<Step> previewStepsWith(String key, String value, String restore) {
    run("config", "set", key, value).requireSuccess("config set " + key);
    try {
      return previewSteps();
    } finally {
      run("config", "set", key, restore).requireSuccess("config set " + key);
    }
  }

  /**
   * A plain {@code pulumi preview} (what a reviewer reads) with config {@code key} set to {@code
   * value}, set back to {@code restore} afterwards.
   */
  public Result previewWith(String key, String value, String restore) {
    run("config", "set", key, value).requireSuccess("config set " + key);
    try {
      return run("preview", "--diff").requireSuccess("pulumi preview");
    } finally {
      run("config", "set", key, restore).requireSuccess("config set " + key);
    }
  }

  static String tail(String text) {
    return text.length() > 6000 ? "…" + text.substring(text.length() - 6000) : text;
  }
}

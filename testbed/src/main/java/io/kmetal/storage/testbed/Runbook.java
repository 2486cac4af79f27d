package io.kmetal.storage.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The commands of one README section, as an operator would paste them: every command line of its
 * {@code sh} blocks, each followed by a {@code # → text} line naming what its output contains. Run
 * as written by bash, with the environment the section's prose names.
 */
public final class Runbook {
  static final String EXPECT = "# → ";

  /** One command and what its output (stdout and stderr) contains. */
  public record Step(String command, String expected) {}

  /** What a step printed. */
  public record Outcome(Step step, int exitCode, String output) {
    public boolean printedWhatItPromises() {
      return output.contains(step.expected());
    }
  }

  private final List<Step> steps;

  private Runbook(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public List<Step> steps() {
    return steps;
  }

  /** The README's section headed {@code ## heading}. */
  public static Runbook readmeSection(Path readme, String heading) throws IOException {
    return parse(section(Files.readString(readme), heading));
  }

  static String section(String markdown, String heading) {
    int start = markdown.indexOf("\n## " + heading + "\n");
    if (start < 0) throw new IllegalArgumentException("no section \"## " + heading + "\"");
    int end = markdown.indexOf("\n## ", start + 1);
    return markdown.substring(start, end < 0 ? markdown.length() : end);
  }

  /** The steps of {@code markdown}; a command without its {@code # →} line is an error. */
  static Runbook parse(String markdown) {
    List<Step> steps = new ArrayList<>();
    boolean inSh = false;
    String pending = null;
    for (String line : markdown.lines().toList()) {
      if (line.startsWith("```")) {
        if (pending != null) throw unpromised(pending);
        inSh = !inSh && line.equals("```sh");
        continue;
      }
      if (!inSh || line.isBlank()) continue;
      if (line.startsWith(EXPECT)) {
        if (pending == null)
          throw new IllegalArgumentException("\"" + line + "\" follows no command");
        steps.add(new Step(pending, line.substring(EXPECT.length()).strip()));
        pending = null;
      } else if (!line.startsWith("#")) {
        if (pending != null) throw unpromised(pending);
        pending = line;
      }
    }
    if (pending != null) throw unpromised(pending);
    return new Runbook(steps);
  }

  private static IllegalArgumentException unpromised(String command) {
    return new IllegalArgumentException(
        "command \"" + command + "\" has no \"" + EXPECT + "…\" line saying what it prints");
  }

  /** How often a step runs at most: an operator runs a command again when the cluster lags. */
  static final int ATTEMPTS = 3;

  private static final Duration RETRY_PAUSE = Duration.ofSeconds(5);

  /**
   * Runs every step in order in {@code dir} with {@code env} added, each for at most two minutes;
   * stops at none. A step that did not print its promise runs again, {@link #ATTEMPTS} times in
   * all, five seconds apart: a controller or a webhook's watch may not have seen the step before it
   * yet (a quota patched, then a claim that fits only under the new cap).
   */
  public List<Outcome> run(Path dir, Map<String, String> env) throws IOException {
    return run(dir, env, RETRY_PAUSE);
  }

  List<Outcome> run(Path dir, Map<String, String> env, Duration pause) throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    for (Step step : steps) {
      Outcome outcome = once(step, dir, env);
      for (int attempt = 1; attempt < ATTEMPTS && !outcome.printedWhatItPromises(); attempt++) {
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted between attempts of " + step.command(), e);
        }
        outcome = once(step, dir, env);
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  private static Outcome once(Step step, Path dir, Map<String, String> env) throws IOException {
    Path log = Files.createTempFile(dir, "step-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", step.command())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES)) p.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + step.command(), e);
    }
    var outcome = new Outcome(step, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    Files.delete(log);
    return outcome;
  }
}

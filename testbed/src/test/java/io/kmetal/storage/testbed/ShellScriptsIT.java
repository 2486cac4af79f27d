package io.kmetal.storage.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shell script of the repository passes shellcheck (built by {@code ./kmetal tools}, settings
 * in {@code .shellcheckrc}), at every severity: the test bed's build, sandbox and demo, the CLI,
 * CI's entry point, the proto fetch and the plugin's launcher.
 */
class ShellScriptsIT {
  private static final Path ROOT = Sandbox.projectRoot().toAbsolutePath().normalize();
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", "target", "node_modules", ".idea", "__pycache__");

  @Test
  void everyShellScriptPassesShellcheck() throws Exception {
    List<String> scripts = scripts();
    assertTrue(
        scripts.containsAll(List.of("kmetal", ".ci/run", "testbed/tools/build.sh")),
        "the scripts found: " + scripts);
    Path shellcheck = PulumiCli.toolsBin().resolve("shellcheck");
    assertTrue(Files.isExecutable(shellcheck), shellcheck + " is missing: run ./kmetal tools");
    List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "-f", "gcc"));
    command.addAll(scripts);
    Process p =
        new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "shellcheck over " + scripts.size() + " scripts:\n" + out);
  }

  /**
   * Files named {@code *.sh}, and files starting with a bash or sh shebang, relative to the root.
   */
  private static List<String> scripts() throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(Files::isRegularFile)
          .filter(f -> !skipped(f))
          .filter(ShellScriptsIT::isScript)
          .map(f -> ROOT.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  private static boolean skipped(Path file) {
    for (Path part : ROOT.relativize(file)) if (SKIPPED_DIRS.contains(part.toString())) return true;
    return false;
  }

  private static boolean isScript(Path file) {
    if (file.getFileName().toString().endsWith(".sh")) return true;
    try (var in = Files.newInputStream(file)) {
      String head = new String(in.readNBytes(64), StandardCharsets.UTF_8);
      return head.startsWith("#!/bin/bash")
          || head.startsWith("#!/usr/bin/env bash")
          || head.startsWith("#!/bin/sh")
          || head.startsWith("#!/usr/bin/env sh");
    } catch (IOException e) {
      return false;
    }
  }
}

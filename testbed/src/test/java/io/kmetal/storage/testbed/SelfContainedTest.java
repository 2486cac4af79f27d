package io.kmetal.storage.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone builds, tests and demos on its own: no build file, script or source names a path outside
 * the repository. A relative path may climb ({@code ../}) only as far as the repository's root,
 * from the folder it is read from: a script's or build file's own folder, a Java source's Maven
 * module (where its build and tests run); and nothing names the workspace folders beside a
 * checkout. This file is the one that names them, and is not checked.
 */
class SelfContainedTest {
  private static final Path ROOT = Sandbox.projectRoot().toAbsolutePath().normalize();
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", "target", "node_modules", ".idea", "__pycache__");
  private static final Pattern CLIMB = Pattern.compile("(?<![\\w.])(?:\\.\\./)+(?:[\\w.${}-]+/?)*");
  private static final Pattern WORKSPACE =
      Pattern.compile(
          "\\.\\./shared\\b|\\bshared/(?:crds|spec|fixtures|checks)\\b|/work/|\\.library");

  @Test
  void noBuildFileScriptOrSourceNamesAPathOutsideTheRepository() {
    List<String> found = new ArrayList<>();
    List<Path> files = checkedFiles();
    for (Path file : files) {
      String[] lines = read(file).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (String problem : problems(file, lines[i])) {
          found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + problem);
        }
      }
    }
    assertTrue(files.size() > 100, "checked only " + files.size() + " files under " + ROOT);
    assertEquals(List.of(), found, "paths outside the repository");
  }

  @Test
  void aPathClimbingOutOfTheRepositoryIsFound() {
    Path pom = ROOT.resolve("csi-runtime/pom.xml");
    Path java = ROOT.resolve("components/src/test/java/io/kmetal/storage/SomeTest.java");
    assertEquals(2, problems(pom, "<dir>${project.basedir}/../../shared/spec</dir>").size());
    assertEquals(1, problems(ROOT.resolve("kmetal"), "x=\"$root/../elsewhere/checks\"").size());
    assertEquals(1, problems(java, "Path.of(\"../../fixtures/fleet.yaml\")").size());
    assertEquals(List.of(), problems(java, "Path.of(\"../fixtures/fleet.yaml\")"));
    assertEquals(List.of(), problems(pom, "<dir>${project.basedir}/../testbed/sandbox</dir>"));
    assertEquals(List.of(), problems(ROOT.resolve("kmetal"), "# testbed/.../csi/CsiSanity.java"));
  }

  /** Build files, scripts and every source file, main and test; not the prose of the docs. */
  private static List<Path> checkedFiles() {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> ROOT.relativize(p).toString().chars().noneMatch(c -> c == '\\'))
          .filter(p -> !inSkippedDir(p))
          .filter(SelfContainedTest::isChecked)
          .filter(p -> !p.getFileName().toString().equals("SelfContainedTest.java"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean inSkippedDir(Path file) {
    for (Path part : ROOT.relativize(file)) {
      if (SKIPPED_DIRS.contains(part.toString())) return true;
    }
    return false;
  }

  private static boolean isChecked(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".md") || name.endsWith(".sum") || name.endsWith(".json")) return false;
    return name.equals("pom.xml")
        || name.equals("go.mod")
        || name.equals("kmetal")
        || name.equals("run")
        || name.matches(".*\\.(sh|env|java|go|xml|yaml|yml|properties|ts|py)")
        || Files.isExecutable(file);
  }

  private static List<String> problems(Path file, String line) {
    List<String> problems = new ArrayList<>();
    Matcher workspace = WORKSPACE.matcher(line);
    if (workspace.find()) problems.add("names " + workspace.group() + ": " + line.strip());
    Matcher climb = CLIMB.matcher(line);
    while (climb.find()) {
      String path = climb.group();
      Path base = base(file);
      if (!base.resolve(path).normalize().startsWith(ROOT)) {
        problems.add(path + " leaves the repository from " + ROOT.relativize(base) + "/");
      }
    }
    return problems;
  }

  /** The folder a relative path in the file is read from. */
  private static Path base(Path file) {
    if (!file.getFileName().toString().endsWith(".java")) return file.getParent();
    for (Path dir = file.getParent(); dir.startsWith(ROOT); dir = dir.getParent()) {
      if (Files.exists(dir.resolve("pom.xml"))) return dir;
    }
    return ROOT;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException binary) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

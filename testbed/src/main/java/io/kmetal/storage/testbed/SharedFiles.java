package io.kmetal.storage.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code ../shared} beside the project root: the fixtures, CRDs and CSI spec tests read. */
public final class SharedFiles {
  private SharedFiles() {}

  /** Found from the working directory up, so tests work from a module or from the root. */
  public static Path dir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("fixtures"))) return candidate;
    }
    throw new IllegalStateException(
        "../shared/fixtures not found above " + Path.of("").toAbsolutePath());
  }

  /** The acceptance fleet, {@code ../shared/fixtures/fleet.yaml}. */
  public static Path acceptanceFleet() {
    return dir().resolve("fixtures/fleet.yaml");
  }
}

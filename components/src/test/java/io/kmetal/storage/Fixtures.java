package io.kmetal.storage;

import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inputs: the shared acceptance fleet and small fleets written inline. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code ../shared} beside the project root, found from the module or the root. */
  public static Path shared() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared");
      if (Files.isDirectory(candidate.resolve("fixtures"))) return candidate;
    }
    throw new IllegalStateException(
        "../shared/fixtures not found above " + Path.of("").toAbsolutePath());
  }

  public static Fleet acceptanceFleet() {
    return read(shared().resolve("fixtures/fleet.yaml"));
  }

  public static Fleet read(Path file) {
    try {
      return FleetFile.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Fleet yaml(String yaml) {
    return FleetFile.parse(yaml, "test");
  }
}

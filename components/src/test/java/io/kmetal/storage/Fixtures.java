package io.kmetal.storage;

import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.testbed.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inputs: the shared acceptance fleet and small fleets written inline. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code ../shared} beside the project root. */
  public static Path shared() {
    return SharedFiles.dir();
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

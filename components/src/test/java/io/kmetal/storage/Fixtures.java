package io.kmetal.storage;

import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.testbed.FixtureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inputs: the acceptance fleet of {@code fixtures/} and small fleets written inline. */
public final class Fixtures {
  private Fixtures() {}

  /** The repository's {@code fixtures/}. */
  public static Path dir() {
    return FixtureFiles.dir();
  }

  public static Fleet acceptanceFleet() {
    return read(FixtureFiles.acceptanceFleet());
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

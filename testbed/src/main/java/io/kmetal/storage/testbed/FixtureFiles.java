package io.kmetal.storage.testbed;

import java.nio.file.Path;

/**
 * The repository's {@code fixtures/}: the acceptance fleet and the invalid fleets the tests read
 * (the same files the external acceptance checks use).
 */
public final class FixtureFiles {
  private FixtureFiles() {}

  public static Path dir() {
    return Sandbox.projectRoot().resolve("fixtures");
  }

  /** The acceptance fleet, {@code fixtures/fleet.yaml}. */
  public static Path acceptanceFleet() {
    return dir().resolve("fleet.yaml");
  }
}

package io.kmetal.storage.examples.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Fleet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Java program deploys exactly the fleet the shared fixture describes. */
class AcceptanceFleetTest {
  @Test
  void javaFleetEqualsTheSharedFixture() throws Exception {
    Path fixture = Path.of("../../fixtures/fleet.yaml");
    Fleet fromFile = FleetFile.parse(Files.readString(fixture), fixture.toString());
    assertEquals(fromFile, AcceptanceFleet.fleet("10Gi"));
  }
}

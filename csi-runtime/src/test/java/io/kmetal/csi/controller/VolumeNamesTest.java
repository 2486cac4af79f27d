package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeNamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab",
        "Sanity-Controller-7CC71C05",
        "a_b.c",
        "---",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void everyCsiNameBecomesAStableDns1123Label(String csiName) {
    String name = VolumeNames.objectName(csiName);
    assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") && name.length() <= 63, name);
    assertEquals(name, VolumeNames.objectName(csiName), "stable");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pvc-6f1c2a4e-1b2c-4d5e-8f90-0123456789ab", "vol-1"})
  void provisionerNamesStayAsTheyAre(String csiName) {
    assertEquals(csiName, VolumeNames.objectName(csiName));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Vol-A"})
  void namesThatDifferOnlyInCaseDoNotCollide(String csiName) {
    assertNotEquals(
        VolumeNames.objectName(csiName),
        VolumeNames.objectName(csiName.toLowerCase(java.util.Locale.ROOT)));
  }
}

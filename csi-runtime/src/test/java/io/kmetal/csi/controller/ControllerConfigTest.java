package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform's mapping of tenant snapshot classes to under-cluster ones. */
class ControllerConfigTest {
  private static ControllerConfig mapped(String text) {
    return new ControllerConfig(
        "alpha",
        Map.of("csi.kubevirt.io/tenant-cluster", "prod"),
        StorageClassPolicy.ALLOW_ALL,
        ControllerConfig.parseSnapshotClasses(text));
  }

  @Test
  void aMappedTenantClassGetsItsUnderClassAndAnUnnamedOneTheFirst() {
    ControllerConfig c = mapped("kubevirt-snapshot=rbd-snap, fast-snapshot=nvme-snap");
    assertEquals("nvme-snap", c.infraSnapshotClass("fast-snapshot"));
    assertEquals("rbd-snap", c.infraSnapshotClass(null), "the first mapping is the default");
  }

  @Test
  void anUnmappedTenantClassIsRefusedNamingTheMapping() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> mapped("kubevirt-snapshot=rbd-snap").infraSnapshotClass("mine"));
    assertEquals(
        "tenant VolumeSnapshotClass mine is not mapped to an under-cluster class; the driver"
            + " ConfigMap's infraSnapshotClasses maps [kubevirt-snapshot]",
        e.getMessage());
  }

  @Test
  void withoutAMappingTheUnderClustersDefaultIsUsed() {
    assertNull(mapped(null).infraSnapshotClass("anything"));
  }

  @Test
  void aMalformedMappingIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> ControllerConfig.parseSnapshotClasses("a=b,c"));
    assertEquals("infraSnapshotClasses: \"c\" is not tenant-class=under-class", e.getMessage());
  }
}

package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver ConfigMap as the controller reads it: the snapshot class mapping and switch. */
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

  @Test
  void theMountedConfigMapIsReadKeyByKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("infraClusterNamespace"), "alpha\n");
    java.nio.file.Files.writeString(
        dir.resolve("infraClusterLabels"), "csi.kubevirt.io/tenant-cluster=prod");
    java.nio.file.Files.writeString(dir.resolve("infraSnapshotClasses"), "kubevirt-snapshot=rbd");

    var config = ControllerConfig.read(dir);

    assertEquals("alpha", config.namespace());
    assertEquals(java.util.Map.of("csi.kubevirt.io/tenant-cluster", "prod"), config.labels());
    assertEquals("rbd", config.infraSnapshotClass("kubevirt-snapshot"));
    assertEquals(StorageClassPolicy.ALLOW_ALL, config.storageClasses());
    assertTrue(config.snapshots(), "without a snapshots key, snapshots are on");
  }

  @Test
  void snapshotsAreTurnedOffOnlyByFalseAndAnyOtherWordIsRefusedNamingTheKey(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("infraClusterNamespace"), "alpha");
    java.nio.file.Files.writeString(dir.resolve("infraClusterLabels"), "a=b");

    java.nio.file.Files.writeString(dir.resolve("snapshots"), "false\n");
    assertFalse(ControllerConfig.read(dir).snapshots());
    java.nio.file.Files.writeString(dir.resolve("snapshots"), "true");
    assertTrue(ControllerConfig.read(dir).snapshots());
    java.nio.file.Files.writeString(dir.resolve("snapshots"), "off");
    var e = assertThrows(IllegalArgumentException.class, () -> ControllerConfig.read(dir));
    assertEquals("snapshots: \"off\" is neither true nor false", e.getMessage());
  }

  @Test
  void snapshotsOffWithASnapshotClassMappingIsRefusedNamingBoth() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ControllerConfig(
                    "alpha",
                    Map.of("a", "b"),
                    StorageClassPolicy.ALLOW_ALL,
                    Map.of("kubevirt-snapshot", "rbd"),
                    false));
    assertEquals(
        "snapshots is false, yet infraSnapshotClasses maps [kubevirt-snapshot]: drop the mapping"
            + " or turn snapshots on",
        e.getMessage());
  }

  @Test
  void aConfigMapWithoutItsNamespaceIsRefusedNamingTheKey(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("infraClusterLabels"), "a=b");
    var e = assertThrows(IllegalArgumentException.class, () -> ControllerConfig.read(dir));
    assertEquals("has no infraClusterNamespace (a key of the driver ConfigMap)", e.getMessage());
  }
}

package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StorageClassPolicyTest {
  /** What TenantStorage renders into the driver ConfigMap. */
  private static final String RENDERED =
      "allowAll: false\nallowDefault: false\nallowList:\n  - tenant-storage-class\n";

  @Test
  void theRenderedPolicyAllowsOnlyTheTenantsClass() {
    var policy = StorageClassPolicy.parse(RENDERED);

    assertEquals(new StorageClassPolicy(false, false, List.of("tenant-storage-class")), policy);
    assertNull(policy.refusal("tenant-storage-class"));
    assertTrue(policy.refusal("fast-nvme").contains("fast-nvme is not allowed"));
    assertTrue(policy.refusal(null).contains("infraStorageClassName is required"));
    assertTrue(policy.refusal("").contains("tenant-storage-class"));
  }

  @Test
  void withoutTheKeyOrWithAllowAllEveryClassIsAllowed() {
    assertNull(StorageClassPolicy.parse(null).refusal("anything"));
    assertNull(StorageClassPolicy.parse("allowAll: true").refusal("anything"));
    assertNull(StorageClassPolicy.parse("allowDefault: true").refusal(null));
  }

  @Test
  void anUnknownKeyIsRefusedByName() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StorageClassPolicy.parse("allowEverything: true"));
    assertTrue(e.getMessage().contains("allowEverything"), e.getMessage());
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingItsKey() {
    for (String yaml :
        List.of("allowAll: yes please", "allowList: tenant-storage-class", "allowList: [[a]]")) {
      var e = assertThrows(IllegalArgumentException.class, () -> StorageClassPolicy.parse(yaml));
      assertTrue(e.getMessage().startsWith("infraStorageClassEnforcement: allow"), e.getMessage());
    }
    var notAMapping =
        assertThrows(IllegalArgumentException.class, () -> StorageClassPolicy.parse("- a"));
    assertTrue(notAMapping.getMessage().contains("a mapping is wanted"), notAMapping.getMessage());
  }
}

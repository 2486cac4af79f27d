package io.kmetal.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A spec without a name takes the component's; defaults derived from the name follow it. */
class NamedIfUnnamedTest {
  private static final Backend CSI = Backend.csi(new CsiBackend("csi.example.com", null));

  @Test
  void anUnnamedTierTakesTheNameAndItsStorageClassNameFollows() {
    StorageTierSpec tier =
        StorageTierSpec.builder()
            .backend(CSI)
            .reclaimPolicy("Delete")
            .build()
            .namedIfUnnamed("gold");
    assertEquals("gold", tier.name());
    assertEquals("gold", tier.storageClassName());
    assertEquals("Delete", tier.reclaimPolicy(), "every other field is kept");
  }

  @Test
  void aGivenStorageClassNameIsKept() {
    StorageTierSpec tier =
        StorageTierSpec.builder()
            .storageClassName("fast")
            .backend(CSI)
            .build()
            .namedIfUnnamed("gold");
    assertEquals("fast", tier.storageClassName());
  }

  @Test
  void anUnnamedTenantTakesTheNameAndItsNamespaceFollows() {
    TenantStorageSpec tenant =
        TenantStorageSpec.builder()
            .storageQuota("3Gi")
            .clusters(List.of(new TenantClusterSpec("hk-one", null, null)))
            .build()
            .namedIfUnnamed("hk");
    assertEquals("hk", tenant.name());
    assertEquals("hk", tenant.namespace());
    assertEquals("3Gi", tenant.storageQuota());
  }

  @Test
  void aNamedSpecIsReturnedAsIs() {
    StorageTierSpec tier = StorageTierSpec.builder().name("silver").backend(CSI).build();
    assertSame(tier, tier.namedIfUnnamed("gold"));
    HppOverlaySpec hpp = HppOverlaySpec.builder().name("vm-state").build();
    assertSame(hpp, hpp.namedIfUnnamed("other"));
    assertEquals("other", HppOverlaySpec.builder().build().namedIfUnnamed("other").name());
  }
}

package io.kmetal.storage.render;

import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole fleet: validated first, then every tier, the shared local-path provisioner, tenants,
 * overlays.
 */
public final class FleetRenderer {
  private FleetRenderer() {}

  /**
   * @throws io.kmetal.storage.model.validation.InvalidSpecException listing every problem, before
   *     anything is rendered
   */
  public static List<Manifest> render(Fleet fleet) {
    Validator.requireValid(fleet);
    String localPath = LocalPathRenderer.Instance.SHARED.provisionerName();
    List<Manifest> out = new ArrayList<>();
    for (StorageTierSpec tier : fleet.storageTiers())
      out.addAll(StorageTierRenderer.render(tier, localPath));
    out.addAll(LocalPathRenderer.render(LocalPathRenderer.Instance.SHARED, fleet.storageTiers()));
    for (TenantStorageSpec tenant : fleet.tenantStorages())
      out.addAll(TenantStorageRenderer.render(tenant));
    for (HppOverlaySpec hpp : fleet.hppOverlays()) out.addAll(HppOverlayRenderer.render(hpp));
    return out;
  }
}

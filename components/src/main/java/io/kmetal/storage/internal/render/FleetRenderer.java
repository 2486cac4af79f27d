package io.kmetal.storage.internal.render;

import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.SnapshotClassSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantSnapshotClassSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole fleet: validated first, then every tier, the shared local-path provisioner, tenants,
 * overlays.
 */
public final class FleetRenderer {
  private FleetRenderer() {}

  /**
   * {@code tier} as the fleet renders it: an unset {@code snapshotClass.isDefault} is decided by
   * its siblings, default only when no other class of its driver is (validation keeps one).
   */
  static StorageTierSpec withDefaultSnapshotClass(Fleet fleet, StorageTierSpec tier) {
    SnapshotClassSpec sc = tier.snapshotClass();
    if (sc == null || sc.isDefault() != null) return tier;
    String driver = tier.backend().driver();
    boolean sibling =
        fleet.storageTiers().stream()
            .anyMatch(
                t -> t != tier && t.snapshotClass() != null && driver.equals(t.backend().driver()));
    return tier.withSnapshotClass(sc.withIsDefault(!sibling));
  }

  /**
   * {@code tenant} as the fleet renders it: without snapshot classes of its own, its tenant class's
   * snapshots ({@code <tenantStorageClassName>-snapshot}) map to the infra tier's snapshot class
   * when that tier has one; a tier that cannot snapshot (local-path), or a tenant with snapshots
   * off, leaves it none.
   */
  public static TenantStorageSpec withSnapshotClasses(Fleet fleet, TenantStorageSpec tenant) {
    if (!tenant.snapshots() || !tenant.snapshotClasses().isEmpty()) return tenant;
    return infraSnapshotClass(fleet, tenant)
        .map(
            infra ->
                tenant.withSnapshotClasses(
                    List.of(
                        new TenantSnapshotClassSpec(
                            tenant.tenantStorageClassName() + "-snapshot", infra))))
        .orElse(tenant);
  }

  /** The snapshot class of the tier the tenant's volumes land on, if the fleet declares one. */
  private static Optional<String> infraSnapshotClass(Fleet fleet, TenantStorageSpec tenant) {
    return fleet.storageTiers().stream()
        .filter(t -> t.storageClassName().equals(tenant.infraStorageClassName()))
        .findFirst()
        .map(StorageTierSpec::snapshotClass)
        .map(SnapshotClassSpec::name);
  }

  /** What a fleet's tenants cannot do for lack of a snapshot class, one note each. */
  public static List<String> snapshotNotes(Fleet fleet) {
    List<String> notes = new ArrayList<>();
    for (TenantStorageSpec tenant : fleet.tenantStorages())
      if (tenant.snapshots() && withSnapshotClasses(fleet, tenant).snapshotClasses().isEmpty())
        notes.add(
            "note: tenantStorages "
                + tenant.name()
                + ": its infra class "
                + tenant.infraStorageClassName()
                + " has no snapshot class in this fleet (local-path cannot snapshot), so its"
                + " tenant clusters get no VolumeSnapshotClass; map one in snapshotClasses to"
                + " offer snapshots");
    return notes;
  }

  /**
   * @throws io.kmetal.storage.model.validation.InvalidSpecException listing every problem, before
   *     anything is rendered
   */
  public static List<Manifest> render(Fleet fleet) {
    Validator.requireValid(fleet);
    String localPath = LocalPathRenderer.Instance.SHARED.provisionerName();
    List<Manifest> out = new ArrayList<>();
    for (StorageTierSpec tier : fleet.storageTiers())
      out.addAll(StorageTierRenderer.render(withDefaultSnapshotClass(fleet, tier), localPath));
    out.addAll(LocalPathRenderer.render(LocalPathRenderer.Instance.SHARED, fleet.storageTiers()));
    for (TenantStorageSpec tenant : fleet.tenantStorages())
      out.addAll(TenantStorageRenderer.render(withSnapshotClasses(fleet, tenant)));
    for (HppOverlaySpec hpp : fleet.hppOverlays()) out.addAll(HppOverlayRenderer.render(hpp));
    return out;
  }
}

package io.kmetal.storage.model.validation;

import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates a fleet: each entry on its own, then the rules that span entries (one default class,
 * the platform/tenant path-map split, one tenant per namespace, unique names).
 */
public final class Validator {
  private Validator() {}

  /** All problems of the fleet, in input order; empty when it is valid. */
  public static List<Problem> validate(Fleet fleet) {
    Problems root = new Problems("");
    List<StorageTierSpec> tiers = fleet.storageTiers();
    for (int i = 0; i < tiers.size(); i++) {
      if (present(root, "storageTiers", i, tiers.get(i))) {
        TierRules.check(root.at("storageTiers", i), tiers.get(i));
      }
    }
    List<TenantStorageSpec> tenants = fleet.tenantStorages();
    for (int i = 0; i < tenants.size(); i++) {
      if (present(root, "tenantStorages", i, tenants.get(i))) {
        TenantRules.check(root.at("tenantStorages", i), tenants.get(i));
      }
    }
    List<HppOverlaySpec> overlays = fleet.hppOverlays();
    for (int i = 0; i < overlays.size(); i++) {
      if (present(root, "hppOverlays", i, overlays.get(i))) {
        HppRules.check(root.at("hppOverlays", i), overlays.get(i));
      }
    }
    if (tiers.stream().allMatch(t -> t != null) && tenants.stream().allMatch(t -> t != null)) {
      FleetRules.check(root, fleet);
    }
    return root.all();
  }

  /** Problems of one tier on its own (what a lone {@code StorageTier} component can check). */
  public static List<Problem> validate(StorageTierSpec tier) {
    Problems root = new Problems("");
    TierRules.check(root, tier);
    return root.all();
  }

  /** Problems of one tenant on its own. */
  public static List<Problem> validate(TenantStorageSpec tenant) {
    Problems root = new Problems("");
    TenantRules.check(root, tenant);
    return root.all();
  }

  /** Problems of one overlay on its own. */
  public static List<Problem> validate(HppOverlaySpec overlay) {
    Problems root = new Problems("");
    HppRules.check(root, overlay);
    return root.all();
  }

  /** Throws {@link InvalidSpecException} listing every problem, or returns the fleet unchanged. */
  public static Fleet requireValid(Fleet fleet) {
    List<Problem> problems = validate(fleet);
    if (!problems.isEmpty()) throw new InvalidSpecException(problems);
    return fleet;
  }

  private static boolean present(Problems root, String list, int i, Object entry) {
    if (entry == null) root.at(list, i).here("is empty");
    return entry != null;
  }

  /** Rules that look across entries. */
  private static final class FleetRules {
    static void check(Problems root, Fleet fleet) {
      unique(
          root,
          "storageTiers",
          "name",
          fleet.storageTiers().stream().map(StorageTierSpec::name).toList());
      unique(
          root,
          "storageTiers",
          "storageClassName",
          fleet.storageTiers().stream().map(StorageTierSpec::storageClassName).toList());
      unique(
          root,
          "tenantStorages",
          "name",
          fleet.tenantStorages().stream().map(TenantStorageSpec::name).toList());
      oneTenantPerNamespace(root, fleet.tenantStorages());
      defaultClass(root, fleet.storageTiers());
      pathMapSplit(root, fleet.storageTiers());
      onePlacement(root, fleet.storageTiers());
      defaultSnapshotClasses(root, fleet.storageTiers());
      infraClassesDeclared(root, fleet);
      infraSnapshotClassesDeclared(root, fleet);
      if (fleet.hppOverlays().size() > 1) {
        root.at("hppOverlays", 1)
            .here(
                "the HostPathProvisioner CR is a cluster singleton: declare one overlay with several storagePools");
      }
    }

    private static void unique(Problems root, String list, String field, List<String> values) {
      Map<String, Integer> first = new HashMap<>();
      for (int i = 0; i < values.size(); i++) {
        String v = values.get(i);
        if (v == null) continue;
        Integer prev = first.putIfAbsent(v, i);
        if (prev != null) {
          root.at(list, i)
              .add(field, "\"" + v + "\" is already used by " + list + "[" + prev + "]");
        }
      }
    }

    private static void oneTenantPerNamespace(Problems root, List<TenantStorageSpec> tenants) {
      Map<String, Integer> first = new HashMap<>();
      for (int i = 0; i < tenants.size(); i++) {
        String ns = tenants.get(i).namespace();
        Integer prev = ns == null ? null : first.putIfAbsent(ns, i);
        if (prev != null) {
          root.at("tenantStorages", i)
              .add(
                  "namespace",
                  "\""
                      + ns
                      + "\" already belongs to tenantStorages["
                      + prev
                      + "]: one tenant per namespace (its quota is per namespace); list the"
                      + " clusters under that tenant instead");
        }
      }
    }

    private static void defaultClass(Problems root, List<StorageTierSpec> tiers) {
      List<Integer> defaults = indexes(tiers, StorageTierSpec::isDefault);
      if (defaults.size() > 1) {
        String names =
            defaults.stream()
                .map(i -> tiers.get(i).storageClassName())
                .collect(Collectors.joining(", "));
        for (int i : defaults.subList(1, defaults.size())) {
          root.at("storageTiers", i)
              .add(
                  "isDefault",
                  "more than one default class ("
                      + names
                      + "): keep isDefault: true on exactly one tier");
        }
      }
      for (int i : defaults) {
        if ("tenant".equals(tiers.get(i).role())) {
          root.at("storageTiers", i)
              .add(
                  "isDefault",
                  "the tenant class must not be the default: only tenant DataVolumes may land on it");
        }
      }
      boolean general = tiers.stream().anyMatch(t -> t.role() == null);
      if (defaults.isEmpty() && general) {
        root.add(
            "storageTiers",
            "no default class: set isDefault: true on exactly one general-purpose tier");
      }
    }

    /**
     * Per driver with snapshot classes, exactly one is the default: the snapshot controller gives a
     * VolumeSnapshot without a class the driver's default, and refuses when there are two.
     */
    private static void defaultSnapshotClasses(Problems root, List<StorageTierSpec> tiers) {
      Map<String, List<Integer>> byDriver = new LinkedHashMap<>();
      for (int i = 0; i < tiers.size(); i++) {
        StorageTierSpec t = tiers.get(i);
        String driver = t.backend() == null ? null : t.backend().driver();
        if (t.snapshotClass() != null && driver != null)
          byDriver.computeIfAbsent(driver, d -> new ArrayList<>()).add(i);
      }
      byDriver.forEach(
          (driver, indexes) -> {
            List<Integer> defaults =
                indexes.stream()
                    .filter(i -> Boolean.TRUE.equals(tiers.get(i).snapshotClass().isDefault()))
                    .toList();
            String names =
                indexes.stream()
                    .map(i -> tiers.get(i).snapshotClass().name())
                    .collect(Collectors.joining(", "));
            // a driver's only class is its default unless it says isDefault: false
            boolean implicit =
                indexes.size() == 1 && tiers.get(indexes.get(0)).snapshotClass().marksDefault();
            if (defaults.isEmpty() && !implicit) {
              root.at("storageTiers", indexes.get(0))
                  .add(
                      "snapshotClass.isDefault",
                      "no default VolumeSnapshotClass for driver "
                          + driver
                          + " ("
                          + names
                          + "): set isDefault: true on exactly one");
            }
            if (defaults.size() > 1) {
              for (int i : defaults) {
                root.at("storageTiers", i)
                    .add(
                        "snapshotClass.isDefault",
                        "more than one default VolumeSnapshotClass for driver "
                            + driver
                            + " ("
                            + names
                            + "): keep isDefault: true on exactly one");
              }
            }
          });
    }

    /** The fleet's local-path tiers share one provisioner, so they must agree on where it runs. */
    private static void onePlacement(Problems root, List<StorageTierSpec> tiers) {
      Integer first = null;
      for (int i = 0; i < tiers.size(); i++) {
        StorageTierSpec t = tiers.get(i);
        if (!t.isLocalPath()) continue;
        if (first == null) {
          first = i;
          continue;
        }
        LocalPathBackend a = tiers.get(first).backend().localPath();
        LocalPathBackend b = t.backend().localPath();
        Problems here = root.at("storageTiers", i).at("backend.localPath");
        String why =
            " differs from storageTiers["
                + first
                + "]'s: the fleet's local-path tiers share one provisioner; give them the same";
        if (!a.provisionerNodeSelector().equals(b.provisionerNodeSelector()))
          here.add("provisionerNodeSelector", why);
        if (!a.provisionerTolerations().equals(b.provisionerTolerations()))
          here.add("provisionerTolerations", why);
      }
    }

    /** The security boundary: no node may appear in both a platform and a tenant local-path map. */
    private static void pathMapSplit(Problems root, List<StorageTierSpec> tiers) {
      Map<String, String> platformNodes = new LinkedHashMap<>();
      for (StorageTierSpec t : tiers) {
        if (t.isLocalPath() && "platform".equals(t.role())) {
          for (NodePaths np : t.backend().localPath().nodePathMap()) {
            if (np != null && np.node() != null)
              platformNodes.putIfAbsent(np.node(), t.storageClassName());
          }
        }
      }
      for (int i = 0; i < tiers.size(); i++) {
        StorageTierSpec t = tiers.get(i);
        if (!t.isLocalPath() || !"tenant".equals(t.role())) continue;
        List<NodePaths> map = t.backend().localPath().nodePathMap();
        for (int j = 0; j < map.size(); j++) {
          NodePaths np = map.get(j);
          if (np != null && platformNodes.containsKey(np.node())) {
            root.at("storageTiers", i)
                .at("backend.localPath")
                .at("nodePathMap", j)
                .add(
                    "node",
                    "node \""
                        + np.node()
                        + "\" is also in the platform class "
                        + platformNodes.get(np.node())
                        + ": platform and tenant node path maps must be disjoint (control-plane"
                        + " nodes vs. tenant workers); remove it from one of them");
          }
        }
      }
    }

    private static void infraSnapshotClassesDeclared(Problems root, Fleet fleet) {
      if (fleet.storageTiers().isEmpty()) return;
      List<String> classes =
          fleet.storageTiers().stream()
              .filter(t -> t.snapshotClass() != null)
              .map(t -> t.snapshotClass().name())
              .toList();
      for (int i = 0; i < fleet.tenantStorages().size(); i++) {
        var mapped = fleet.tenantStorages().get(i).snapshotClasses();
        for (int j = 0; j < mapped.size(); j++) {
          String infra = mapped.get(j) == null ? null : mapped.get(j).infraSnapshotClassName();
          if (infra != null && !classes.contains(infra))
            root.at("tenantStorages", i)
                .at("snapshotClasses", j)
                .add(
                    "infraSnapshotClassName",
                    "\""
                        + infra
                        + "\" is not a snapshot class of this fleet; declare it on a tier or use"
                        + " one of "
                        + classes);
        }
      }
    }

    private static void infraClassesDeclared(Problems root, Fleet fleet) {
      if (fleet.storageTiers().isEmpty()) return;
      List<String> classes =
          fleet.storageTiers().stream().map(StorageTierSpec::storageClassName).toList();
      for (int i = 0; i < fleet.tenantStorages().size(); i++) {
        String infra = fleet.tenantStorages().get(i).infraStorageClassName();
        if (infra != null && !classes.contains(infra)) {
          root.at("tenantStorages", i)
              .add(
                  "infraStorageClassName",
                  "\""
                      + infra
                      + "\" is not a storage class of this fleet; declare a tier for it or use one of "
                      + classes);
        }
      }
    }

    private static <T> List<Integer> indexes(List<T> list, java.util.function.Predicate<T> test) {
      return java.util.stream.IntStream.range(0, list.size())
          .filter(i -> test.test(list.get(i)))
          .boxed()
          .toList();
    }
  }
}

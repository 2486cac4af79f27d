package io.kmetal.storage.model.validation;

import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.KubeVirtRef;
import io.kmetal.storage.model.PvcTemplate;
import io.kmetal.storage.model.StoragePoolSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for one {@link HppOverlaySpec} (the HPP operator's own limits included). */
final class HppRules {
  static final List<String> FEATURE_GATES = List.of("Snapshotting");
  static final List<String> SNAPSHOT_PROVIDERS = List.of("reflink");
  static final int MAX_POOL_NAME = 50;
  static final int MAX_POOL_PATH = 255;
  static final int MAX_WAIT_SECONDS = 3600;

  private HppRules() {}

  static void check(Problems p, HppOverlaySpec h) {
    Names.subdomain(p, "name", h.name());
    for (int i = 0; i < h.featureGates().size(); i++) {
      if (p.required("featureGates[" + i + "]", h.featureGates().get(i))) {
        p.oneOf("featureGates[" + i + "]", h.featureGates().get(i), FEATURE_GATES);
      }
    }
    if (h.storagePools().isEmpty()) p.add("storagePools", "must list at least one storage pool");
    Set<String> names = new HashSet<>();
    Set<String> paths = new HashSet<>();
    Set<String> classes = new HashSet<>();
    for (int i = 0; i < h.storagePools().size(); i++) {
      pool(p.at("storagePools", i), h, h.storagePools().get(i), names, paths, classes);
    }
    if (h.kubevirt() != null) kubevirt(p.at("kubevirt"), h.kubevirt());
    if (h.availableTimeoutSeconds() < 1 || h.availableTimeoutSeconds() > MAX_WAIT_SECONDS)
      p.add(
          "availableTimeoutSeconds",
          "must be between 1 and "
              + MAX_WAIT_SECONDS
              + " (seconds pulumi up waits for the HostPathProvisioner to be Available)");
  }

  private static void pool(
      Problems p,
      HppOverlaySpec h,
      StoragePoolSpec pool,
      Set<String> names,
      Set<String> paths,
      Set<String> classes) {
    if (pool == null) {
      p.here("is empty; give name, path and pvcTemplate");
      return;
    }
    if (Names.label(p, "name", pool.name())) {
      if (pool.name().length() > MAX_POOL_NAME) {
        p.add(
            "name",
            "is "
                + pool.name().length()
                + " characters; the HPP operator allows at most "
                + MAX_POOL_NAME);
      }
      if (!names.add(pool.name())) p.add("name", "\"" + pool.name() + "\" is used by two pools");
    }
    Paths.absolute(p, "path", pool.path(), MAX_POOL_PATH);
    if (pool.path() != null && !paths.add(Paths.normal(pool.path()))) {
      p.add("path", "\"" + pool.path() + "\" is used by two pools; give each pool its own path");
    }
    if (Names.subdomain(p, "overlayClassName", pool.overlayClassName())
        && !classes.add(pool.overlayClassName())) {
      p.add("overlayClassName", "\"" + pool.overlayClassName() + "\" is used by two pools");
    }
    p.oneOf("snapshotProvider", pool.snapshotProvider(), SNAPSHOT_PROVIDERS);
    if (pool.snapshotProvider() != null
        && !h.featureGates().contains(HppOverlaySpec.SNAPSHOTTING)) {
      p.add("snapshotProvider", "needs the Snapshotting feature gate: add it to featureGates");
    }
    pvcTemplate(p.at("pvcTemplate"), pool.pvcTemplate());
  }

  private static void pvcTemplate(Problems p, PvcTemplate t) {
    if (t == null) {
      p.here(
          "is required: the overlay is built on one ReadWriteMany claim (accessModes:"
              + " [ReadWriteMany], an RWX storageClassName such as an NFS class, and a size)");
      return;
    }
    if (!t.accessModes().contains("ReadWriteMany")) {
      p.add(
          "accessModes",
          "must include ReadWriteMany (got "
              + t.accessModes()
              + "): the operator builds the overlay only on a volume every node can mount");
    }
    for (int i = 0; i < t.accessModes().size(); i++) {
      if (p.required("accessModes[" + i + "]", t.accessModes().get(i))) {
        p.oneOf("accessModes[" + i + "]", t.accessModes().get(i), TierRules.ACCESS_MODES);
      }
    }
    Names.subdomain(p, "storageClassName", t.storageClassName());
    p.oneOf("volumeMode", t.volumeMode(), List.of("Filesystem"));
    Quantities.positiveStorage(p, "resources.requests.storage", t.storage());
  }

  /** A KubeVirt CR reference, for the overlay and for tenants alike. */
  static void kubevirt(Problems p, KubeVirtRef k) {
    Names.label(p, "namespace", k.namespace());
    Names.subdomain(p, "name", k.name());
    for (int i = 0; i < k.featureGates().size(); i++) {
      String gate = k.featureGates().get(i);
      if (p.required("featureGates[" + i + "]", gate) && !gate.matches("[A-Za-z0-9]+"))
        p.add(
            "featureGates[" + i + "]",
            "\""
                + gate
                + "\" is not a KubeVirt feature gate name (letters and digits, e.g. Snapshot)");
    }
    if (!k.manageFeatureGates() && !k.featureGates().isEmpty())
      p.add(
          "featureGates",
          "are never applied while manageFeatureGates is false; remove them or manage the gates");
  }
}

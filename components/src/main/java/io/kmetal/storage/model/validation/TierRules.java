package io.kmetal.storage.model.validation;

import io.kmetal.contract.Ages;
import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephFsBackend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.ClaimPropertySet;
import io.kmetal.storage.model.CsiBackend;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.ErasureCodingSpec;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.RetainCleanupSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TolerationSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for one {@link StorageTierSpec} on its own. */
final class TierRules {
  static final List<String> ROLES = List.of("platform", "tenant");
  static final List<String> RECLAIM = List.of("Delete", "Retain");
  static final List<String> BINDING = List.of("WaitForFirstConsumer", "Immediate");
  static final List<String> ACCESS_MODES =
      List.of("ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOncePod");
  static final List<String> VOLUME_MODES = List.of("Filesystem", "Block");
  static final List<String> RBD_FEATURES =
      List.of(
          "layering", "exclusive-lock", "object-map", "fast-diff", "deep-flatten", "journaling");
  static final String NON_LISTED = "DEFAULT_PATH_FOR_NON_LISTED_NODES";
  static final List<String> TOLERATION_OPERATORS = List.of("Exists", "Equal");
  static final List<String> DEVICE_CLASSES = List.of("hdd", "ssd", "nvme");
  static final int MAX_REPLICAS = 10;
  static final int MAX_CRONJOB_NAME = 52;
  static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private TierRules() {}

  static void check(Problems p, StorageTierSpec t) {
    Names.subdomain(p, "name", t.name());
    Names.subdomain(p, "storageClassName", t.storageClassName());
    p.oneOf("role", t.role(), ROLES);
    p.oneOf("reclaimPolicy", t.reclaimPolicy(), RECLAIM);
    p.oneOf("volumeBindingMode", t.volumeBindingMode(), BINDING);
    for (int i = 0; i < t.mountOptions().size(); i++) {
      String o = t.mountOptions().get(i);
      if (o == null || o.isBlank()) p.add("mountOptions[" + i + "]", "must not be empty");
    }
    backend(p.at("backend"), t);
    if (t.enforceSingleDefault()
        && !t.isDefault()
        && (t.snapshotClass() == null || !t.snapshotClass().marksDefault())) {
      p.add(
          "enforceSingleDefault",
          "this tier holds no default to enforce: set isDefault or snapshotClass.isDefault, or"
              + " drop enforceSingleDefault");
    }
    if (t.protection() != null) protection(p.at("protection"), t, t.protection());
    if (t.retainCleanup() != null) retainCleanup(p.at("retainCleanup"), t, t.retainCleanup());
    if (t.storageProfile() != null) {
      Problems sp = p.at("storageProfile");
      List<ClaimPropertySet> sets = t.storageProfile().claimPropertySets();
      if (sets.isEmpty()) sp.add("claimPropertySets", "must list at least one claim property set");
      for (int i = 0; i < sets.size(); i++) {
        claimPropertySet(sp.at("claimPropertySets", i), sets.get(i));
      }
    }
    if (t.snapshotClass() != null) {
      Problems sc = p.at("snapshotClass");
      Names.subdomain(sc, "name", t.snapshotClass().name());
      sc.oneOf("deletionPolicy", t.snapshotClass().deletionPolicy(), RECLAIM);
      if (t.isLocalPath()) {
        sc.here("local-path volumes cannot be snapshotted; remove snapshotClass from this tier");
      }
    }
  }

  private static void protection(Problems p, StorageTierSpec t, DataProtectionSpec dp) {
    Integer replicas = dp.replicas();
    ErasureCodingSpec ec = dp.erasureCoding();
    if (replicas == null && ec == null) {
      p.here(
          "describes no layout: set replicas (e.g. 3) or erasureCoding (e.g. {dataChunks: 4,"
              + " codingChunks: 2})");
    } else if (replicas != null && ec != null) {
      p.here("sets both replicas and erasureCoding; a pool has one layout, keep one");
    }
    if (replicas != null && (replicas < 1 || replicas > MAX_REPLICAS)) {
      p.add("replicas", replicas + " is out of range; use 1 to " + MAX_REPLICAS);
    }
    if (ec != null) {
      Problems e = p.at("erasureCoding");
      if (e.required("dataChunks", ec.dataChunks()) && ec.dataChunks() < 2) {
        e.add("dataChunks", ec.dataChunks() + " is too few; an erasure-code profile has k >= 2");
      }
      if (e.required("codingChunks", ec.codingChunks()) && ec.codingChunks() < 1) {
        e.add("codingChunks", ec.codingChunks() + " is too few; m >= 1 (the chunks it may lose)");
      }
    }
    if (!Double.isFinite(dp.compressionRatio()) || dp.compressionRatio() < 1.0) {
      p.add(
          "compressionRatio",
          dp.compressionRatio()
              + " is not a ratio of at least 1; give logical bytes per stored byte, e.g. 1.5");
    }
    p.oneOf("deviceClass", dp.deviceClass(), DEVICE_CLASSES);
    Backend b = t.backend();
    if (b == null) return;
    if (b.localPath() != null && (ec != null || (replicas != null && replicas != 1))) {
      p.here("a local-path volume is one copy on one node's disk: set replicas: 1");
    }
    if (b.cephRbd() != null && b.cephRbd().dataPool() != null && ec == null) {
      p.here(
          "backend.cephRbd.dataPool (\""
              + b.cephRbd().dataPool()
              + "\") is an erasure-coded pool: describe it with erasureCoding (dataChunks,"
              + " codingChunks), not replicas");
    }
    if (b.cephRbd() != null && b.cephRbd().dataPool() == null && ec != null) {
      p.add(
          "erasureCoding",
          "RBD keeps images in a replicated pool; an erasure-coded pool holds only their data:"
              + " set backend.cephRbd.dataPool to it, or describe the pool with replicas");
    }
  }

  private static void retainCleanup(Problems p, StorageTierSpec t, RetainCleanupSpec rc) {
    if (!"Retain".equals(t.reclaimPolicy())) {
      p.here(
          "cleans up Released volumes, which only reclaimPolicy: Retain leaves; set"
              + " reclaimPolicy: Retain or remove retainCleanup");
    }
    try {
      Ages.parse(rc.olderThan(), "olderThan");
    } catch (IllegalArgumentException e) {
      p.add(
          "olderThan",
          "\""
              + rc.olderThan()
              + "\" is not an age; use a number and d, h, m or s"
              + " (e.g. 30d)");
    }
    if (rc.schedule().isBlank() || rc.schedule().strip().split("\\s+").length != 5) {
      p.add(
          "schedule",
          "\""
              + rc.schedule()
              + "\" is not a cron schedule; give five fields, e.g. \""
              + RetainCleanupSpec.DEFAULT_SCHEDULE
              + "\"");
    }
    Names.label(p, "namespace", rc.namespace());
    if (rc.image().isBlank())
      p.add("image", "must not be empty; give the driver image or a mirror");
    String job = RetainCleanupSpec.JOB_PREFIX + t.storageClassName();
    if (t.storageClassName() != null && (job.length() > MAX_CRONJOB_NAME || job.contains("."))) {
      p.here(
          "names its CronJob \""
              + job
              + "\", which must be a DNS label of at most "
              + MAX_CRONJOB_NAME
              + " characters (Jobs append a suffix): give this tier a storageClassName without"
              + " dots of at most "
              + (MAX_CRONJOB_NAME - RetainCleanupSpec.JOB_PREFIX.length())
              + " characters");
    }
  }

  private static void claimPropertySet(Problems p, ClaimPropertySet set) {
    if (set == null) {
      p.here("is empty; give accessModes and volumeMode");
      return;
    }
    if (set.accessModes().isEmpty()) p.add("accessModes", "must list at least one access mode");
    for (int i = 0; i < set.accessModes().size(); i++) {
      String field = "accessModes[" + i + "]";
      if (p.required(field, set.accessModes().get(i))) {
        p.oneOf(field, set.accessModes().get(i), ACCESS_MODES);
      }
    }
    if (p.required("volumeMode", set.volumeMode())) {
      p.oneOf("volumeMode", set.volumeMode(), VOLUME_MODES);
    }
  }

  private static void backend(Problems p, StorageTierSpec t) {
    Backend b = t.backend();
    if (b == null || b.kindsSet().isEmpty()) {
      p.here("is required: set exactly one of localPath, cephRbd, cephFs, csi");
      return;
    }
    if (b.kindsSet().size() > 1) {
      p.here("sets " + String.join(" and ", b.kindsSet()) + "; set exactly one backend");
      return;
    }
    if (b.localPath() != null) localPath(p.at("localPath"), t, b.localPath());
    if (b.cephRbd() != null) cephRbd(p.at("cephRbd"), b.cephRbd());
    if (b.cephFs() != null) cephFs(p.at("cephFs"), b.cephFs());
    if (b.csi() != null) csi(p.at("csi"), b.csi());
  }

  private static void localPath(Problems p, StorageTierSpec t, LocalPathBackend lp) {
    if (t.role() == null) {
      p.here(
          "a local-path tier needs role: platform or tenant (the two node path maps must stay"
              + " disjoint: they are a security boundary)");
    }
    if (!"WaitForFirstConsumer".equals(t.volumeBindingMode())) {
      p.here(
          "local-path volumes live on one node: set volumeBindingMode: WaitForFirstConsumer"
              + " on this tier");
    }
    if (lp.nodePathMap().isEmpty()) {
      p.add("nodePathMap", "must list at least one node; nodes not listed get no volumes");
    }
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < lp.nodePathMap().size(); i++) {
      nodePaths(p.at("nodePathMap", i), lp.nodePathMap().get(i), nodes);
    }
    lp.provisionerNodeSelector()
        .forEach(
            (key, value) -> {
              String field = "provisionerNodeSelector." + key;
              Names.labelKey(p, field, key);
              Names.labelValue(p, field, value);
            });
    for (int i = 0; i < lp.provisionerTolerations().size(); i++) {
      toleration(p.at("provisionerTolerations", i), lp.provisionerTolerations().get(i));
    }
  }

  private static void toleration(Problems p, TolerationSpec t) {
    if (t == null) {
      p.here("is empty; give key, operator and effect");
      return;
    }
    p.oneOf("operator", t.operator(), TOLERATION_OPERATORS);
    p.oneOf("effect", t.effect(), TAINT_EFFECTS);
    if (p.required("key", t.key())) Names.labelKey(p, "key", t.key());
    if ("Exists".equals(t.operator()) && t.value() != null && !t.value().isEmpty()) {
      p.add("value", "must be empty with operator Exists (it matches any value); use Equal");
    }
  }

  private static void nodePaths(Problems p, NodePaths np, Set<String> seen) {
    if (np == null) {
      p.here("is empty; give node and paths");
      return;
    }
    if (p.required("node", np.node())) {
      if (NON_LISTED.equals(np.node())) {
        p.add(
            "node",
            NON_LISTED
                + " is always rendered as [] so unlisted nodes get nothing; list real nodes only");
      } else if (!seen.add(np.node())) {
        p.add("node", "\"" + np.node() + "\" is listed twice; merge its paths into one entry");
      }
    }
    if (np.paths().isEmpty()) p.add("paths", "must list at least one absolute path");
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < np.paths().size(); i++) {
      String field = "paths[" + i + "]";
      String path = np.paths().get(i);
      Paths.absolute(p, field, path, 4096);
      if (path != null && !paths.add(Paths.normal(path))) {
        p.add(field, "\"" + path + "\" is listed twice for this node");
      }
    }
  }

  private static void cephRbd(Problems p, CephRbdBackend rbd) {
    p.required("provisioner", rbd.provisioner());
    p.required("clusterID", rbd.clusterID());
    p.required("pool", rbd.pool());
    p.oneOf("fsType", rbd.fsType(), List.of("ext4", "xfs"));
    List<String> f = rbd.imageFeatures();
    for (int i = 0; i < f.size(); i++) {
      if (p.required("imageFeatures[" + i + "]", f.get(i))) {
        p.oneOf("imageFeatures[" + i + "]", f.get(i), RBD_FEATURES);
      }
    }
    if (!f.contains("layering")) {
      p.add("imageFeatures", "must include layering (needed for clones and snapshots)");
    }
    if (f.contains("object-map") && !f.contains("exclusive-lock")) {
      p.add("imageFeatures", "object-map requires exclusive-lock; add exclusive-lock");
    }
    if (f.contains("fast-diff") && !f.contains("object-map")) {
      p.add("imageFeatures", "fast-diff requires object-map; add object-map");
    }
    if (rbd.dataPool() != null && f.contains("deep-flatten")) {
      p.add(
          "imageFeatures",
          "deep-flatten is not supported with an erasure-coded dataPool (\""
              + rbd.dataPool()
              + "\"); remove deep-flatten from imageFeatures");
    }
    if (rbd.dataPool() != null && rbd.dataPool().equals(rbd.pool())) {
      p.add("dataPool", "must differ from pool: pool holds the image metadata (replicated)");
    }
  }

  private static void cephFs(Problems p, CephFsBackend fs) {
    p.required("provisioner", fs.provisioner());
    p.required("clusterID", fs.clusterID());
    p.required("fsName", fs.fsName());
  }

  private static void csi(Problems p, CsiBackend csi) {
    if (p.required("provisioner", csi.provisioner()) && csi.provisioner().length() > 63) {
      p.add("provisioner", "a CSI driver name has at most 63 characters");
    }
    csi.parameters()
        .forEach(
            (k, v) -> {
              if (v == null)
                p.add("parameters." + k, "needs a value (StorageClass parameters are strings)");
            });
  }
}

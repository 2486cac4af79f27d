package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephFsBackend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.ClaimPropertySet;
import io.kmetal.storage.model.StorageTierSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tier: its StorageClass, the CDI StorageProfile pin, the VolumeSnapshotClass and the clean-up
 * of Released volumes ({@link RetainCleanupRenderer}). Local-path tiers also need the shared
 * provisioner, rendered by {@link LocalPathRenderer}.
 */
public final class StorageTierRenderer {
  static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
  static final String DESCRIPTION = "kmetal.io/description";

  /** Secrets created by Rook / ODF for ceph-csi; the names ceph-csi's examples use. */
  static final String RBD_PROVISIONER_SECRET = "rook-csi-rbd-provisioner";

  static final String RBD_NODE_SECRET = "rook-csi-rbd-node";
  static final String CEPHFS_PROVISIONER_SECRET = "rook-csi-cephfs-provisioner";
  static final String CEPHFS_NODE_SECRET = "rook-csi-cephfs-node";

  private StorageTierRenderer() {}

  /**
   * @param localPathProvisioner the provisioner name serving this tier when it is a local-path tier
   */
  public static List<Manifest> render(StorageTierSpec tier, String localPathProvisioner) {
    List<Manifest> out = new ArrayList<>();
    out.add(Manifest.under(storageClass(tier, localPathProvisioner)));
    if (tier.storageProfile() != null) out.add(Manifest.patch(storageProfile(tier)));
    if (tier.snapshotClass() != null) {
      out.add(
          Manifest.under(
              Crds.snapshotClass(
                  tier.snapshotClass().name(),
                  provisioner(tier.backend(), localPathProvisioner),
                  tier.snapshotClass().deletionPolicy(),
                  snapshotParameters(tier.backend()),
                  tier.snapshotClass().marksDefault(),
                  labels(tier))));
    }
    if (tier.enforceSingleDefault()) {
      if (tier.isDefault())
        SingleDefaultPolicyRenderer.storageClass(tier.storageClassName(), labels(tier)).stream()
            .map(Manifest::under)
            .forEach(out::add);
      if (tier.snapshotClass() != null && tier.snapshotClass().marksDefault())
        SingleDefaultPolicyRenderer.snapshotClass(
                provisioner(tier.backend(), localPathProvisioner),
                tier.snapshotClass().name(),
                labels(tier))
            .stream()
            .map(Manifest::under)
            .forEach(out::add);
    }
    out.addAll(
        RetainCleanupRenderer.render(
            tier, Labels.of("storage-tier", tier.name(), "retain-cleanup")));
    return out;
  }

  static StorageClass storageClass(StorageTierSpec tier, String localPathProvisioner) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (tier.isDefault()) annotations.put(DEFAULT_CLASS, "true");
    if (tier.description() != null) annotations.put(DESCRIPTION, tier.description());
    return new StorageClassBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(tier.storageClassName())
                .withLabels(labels(tier))
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .build())
        .withProvisioner(provisioner(tier.backend(), localPathProvisioner))
        .withParameters(parameters(tier.backend()))
        .withReclaimPolicy(tier.reclaimPolicy())
        .withVolumeBindingMode(tier.volumeBindingMode())
        .withAllowVolumeExpansion(tier.allowVolumeExpansion())
        .withMountOptions(tier.mountOptions().isEmpty() ? null : tier.mountOptions())
        .build();
  }

  private static io.fabric8.kubernetes.api.model.HasMetadata storageProfile(StorageTierSpec tier) {
    List<Object> sets = new ArrayList<>();
    for (ClaimPropertySet set : tier.storageProfile().claimPropertySets()) {
      sets.add(Ordered.map("accessModes", set.accessModes(), "volumeMode", set.volumeMode()));
    }
    return Crds.object(
        Crds.CDI_V1BETA1,
        "StorageProfile",
        null,
        tier.storageClassName(),
        labels(tier),
        Ordered.map("spec", Ordered.map("claimPropertySets", sets)));
  }

  /** The provisioner name the tier's StorageClass gets. */
  public static String provisionerOf(StorageTierSpec tier, String localPathProvisioner) {
    return provisioner(tier.backend(), localPathProvisioner);
  }

  static String provisioner(Backend b, String localPathProvisioner) {
    return b.localPath() != null ? localPathProvisioner : b.driver();
  }

  static Map<String, String> parameters(Backend b) {
    Map<String, String> p = new LinkedHashMap<>();
    if (b.cephRbd() != null) rbd(p, b.cephRbd());
    if (b.cephFs() != null) cephFs(p, b.cephFs());
    if (b.csi() != null) p.putAll(Ordered.sorted(b.csi().parameters()));
    return p.isEmpty() ? null : p;
  }

  /**
   * What ceph-csi's CreateSnapshot needs: the cluster, and with {@code secretNamespace} the
   * snapshotter secret (Rook/ODF's provisioner secret, as its own snapshot classes name it).
   */
  static Map<String, String> snapshotParameters(Backend b) {
    Map<String, String> p = new LinkedHashMap<>();
    if (b.cephRbd() != null) {
      p.put("clusterID", b.cephRbd().clusterID());
      snapshotter(p, RBD_PROVISIONER_SECRET, b.cephRbd().secretNamespace());
    }
    if (b.cephFs() != null) {
      p.put("clusterID", b.cephFs().clusterID());
      snapshotter(p, CEPHFS_PROVISIONER_SECRET, b.cephFs().secretNamespace());
    }
    return p;
  }

  private static void snapshotter(Map<String, String> p, String secret, String namespace) {
    if (namespace == null) return;
    p.put("csi.storage.k8s.io/snapshotter-secret-name", secret);
    p.put("csi.storage.k8s.io/snapshotter-secret-namespace", namespace);
  }

  private static void rbd(Map<String, String> p, CephRbdBackend rbd) {
    p.put("clusterID", rbd.clusterID());
    p.put("pool", rbd.pool());
    if (rbd.dataPool() != null) p.put("dataPool", rbd.dataPool());
    p.put("imageFormat", "2");
    p.put("imageFeatures", String.join(",", rbd.imageFeatures()));
    p.put("csi.storage.k8s.io/fstype", rbd.fsType());
    if (rbd.secretNamespace() != null) {
      secrets(p, RBD_PROVISIONER_SECRET, RBD_NODE_SECRET, rbd.secretNamespace());
    }
  }

  private static void cephFs(Map<String, String> p, CephFsBackend fs) {
    p.put("clusterID", fs.clusterID());
    p.put("fsName", fs.fsName());
    if (fs.pool() != null) p.put("pool", fs.pool());
    if (fs.secretNamespace() != null) {
      secrets(p, CEPHFS_PROVISIONER_SECRET, CEPHFS_NODE_SECRET, fs.secretNamespace());
    }
  }

  private static void secrets(Map<String, String> p, String provisioner, String node, String ns) {
    p.put("csi.storage.k8s.io/provisioner-secret-name", provisioner);
    p.put("csi.storage.k8s.io/provisioner-secret-namespace", ns);
    p.put("csi.storage.k8s.io/controller-expand-secret-name", provisioner);
    p.put("csi.storage.k8s.io/controller-expand-secret-namespace", ns);
    p.put("csi.storage.k8s.io/node-stage-secret-name", node);
    p.put("csi.storage.k8s.io/node-stage-secret-namespace", ns);
  }

  private static Map<String, String> labels(StorageTierSpec tier) {
    return Labels.of("storage-tier", tier.name(), "storage-class");
  }
}

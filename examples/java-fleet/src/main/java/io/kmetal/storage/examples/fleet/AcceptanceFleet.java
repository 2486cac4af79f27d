package io.kmetal.storage.examples.fleet;

import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephFsBackend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.ClaimPropertySet;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.ErasureCodingSpec;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.KubeVirtRef;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.PvcTemplate;
import io.kmetal.storage.model.RetainCleanupSpec;
import io.kmetal.storage.model.SnapshotClassSpec;
import io.kmetal.storage.model.StoragePoolSpec;
import io.kmetal.storage.model.StorageProfileSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.WebhookSpec;
import io.kmetal.storage.model.WorkloadSpec;
import java.util.List;
import java.util.Map;

/**
 * The seed documents' platform (fixtures/fleet.yaml), field for field, written with the spec
 * builders. A test keeps the two in agreement.
 */
public final class AcceptanceFleet {
  private static final List<String> RBD_FEATURES =
      List.of("layering", "deep-flatten", "exclusive-lock", "object-map", "fast-diff");

  private AcceptanceFleet() {}

  /**
   * @param alphaQuota tenant alpha's storage cap (the fixture says 10Gi)
   */
  public static Fleet fleet(String alphaQuota) {
    return fleet(alphaQuota, WebhookSpec.DEFAULTS);
  }

  /**
   * @param alphaWebhook tenant alpha's quota webhook (the demo points it at a local process)
   */
  public static Fleet fleet(String alphaQuota, WebhookSpec alphaWebhook) {
    return new Fleet(tiers(), List.of(alpha(alphaQuota, alphaWebhook)), List.of(vmStateOverlay()));
  }

  static List<StorageTierSpec> tiers() {
    return List.of(
        localPath("local-path", "platform", new NodePaths("c1", List.of("/var/data/local")))
            .build(),
        localPath(
                "tenant-storage-class",
                "tenant",
                new NodePaths("w1", List.of("/var/data/tenant")),
                new NodePaths("w2", List.of("/var/data/tenant")))
            .storageProfile(
                new StorageProfileSpec(
                    List.of(new ClaimPropertySet(List.of("ReadWriteOnce"), "Filesystem"))))
            .build(),
        rbd("gold", "ocs-gold-nvme", "NVMe-backed, 3-replica, for latency-sensitive production VMs")
            .reclaimPolicy("Retain")
            .backend(Backend.cephRbd(rbdBackend("nvme-replicapool", null, RBD_FEATURES)))
            .snapshotClass(new SnapshotClassSpec("ocs-rbd-snapclass", "Delete"))
            .protection(new DataProtectionSpec(3, null, null, "nvme", null))
            .retainCleanup(new RetainCleanupSpec("30d", false, null, null, null))
            .build(),
        rbd("silver", "ocs-silver-ssd", "SSD-backed, 3-replica, for general production workloads")
            .isDefault(true)
            .reclaimPolicy("Retain")
            .backend(Backend.cephRbd(rbdBackend("ssd-replicapool", null, RBD_FEATURES)))
            .protection(new DataProtectionSpec(3, null, null, "ssd", null))
            .build(),
        rbd(
                "bronze",
                "ocs-bronze-ec",
                "HDD-backed, erasure-coded (4+2), for capacity-heavy cold workloads")
            .reclaimPolicy("Delete")
            .backend(
                Backend.cephRbd(
                    rbdBackend(
                        "hdd-ec-metadatapool",
                        "hdd-ec-datapool",
                        List.of("layering", "exclusive-lock", "object-map", "fast-diff"))))
            .protection(
                new DataProtectionSpec(null, new ErasureCodingSpec(4, 2), null, "hdd", null))
            .build(),
        StorageTierSpec.builder()
            .name("shared")
            .storageClassName("ocs-shared-cephfs")
            .description("CephFS, 3-replica, ReadWriteMany for shared filesystem access")
            .reclaimPolicy("Retain")
            .volumeBindingMode("Immediate")
            .allowVolumeExpansion(true)
            .backend(
                Backend.cephFs(
                    new CephFsBackend(
                        "openshift-storage.cephfs.csi.ceph.com",
                        "openshift-storage",
                        "ocs-storagecluster-cephfilesystem",
                        "ocs-storagecluster-cephfilesystem-data0",
                        "openshift-storage")))
            .protection(new DataProtectionSpec(3, null, null, "ssd", null))
            .build());
  }

  static TenantStorageSpec alpha(String quota, WebhookSpec webhook) {
    return TenantStorageSpec.builder()
        .webhook(webhook)
        .name("alpha")
        .namespace("alpha")
        .storageQuota(quota)
        .infraStorageClassName("tenant-storage-class")
        .clusters(TenantClusterSpec.named("alpha-prod"), TenantClusterSpec.named("alpha-dev"))
        .build();
  }

  static HppOverlaySpec vmStateOverlay() {
    PvcTemplate nfs =
        new PvcTemplate(
            List.of("ReadWriteMany"),
            "nfs-csi",
            null,
            new PvcTemplate.Resources(new PvcTemplate.Requests("10Gi")));
    return HppOverlaySpec.builder()
        .name("vm-state")
        .featureGates("Snapshotting")
        .storagePools(new StoragePoolSpec("nfs-backend", "/nfs-vol", "reflink", "hpp-overlay", nfs))
        .workload(new WorkloadSpec(Map.of("kubernetes.io/os", "linux"), null, null))
        .kubevirt(new KubeVirtRef("kubevirt", "kubevirt", null))
        .build();
  }

  private static StorageTierSpec.Builder localPath(String name, String role, NodePaths... nodes) {
    return StorageTierSpec.builder()
        .name(name)
        .storageClassName(name)
        .role(role)
        .reclaimPolicy("Delete")
        .volumeBindingMode("WaitForFirstConsumer")
        .allowVolumeExpansion(true)
        .backend(Backend.localPath(new LocalPathBackend(List.of(nodes))));
  }

  private static StorageTierSpec.Builder rbd(String name, String className, String description) {
    return StorageTierSpec.builder()
        .name(name)
        .storageClassName(className)
        .description(description)
        .volumeBindingMode("WaitForFirstConsumer")
        .allowVolumeExpansion(true);
  }

  private static CephRbdBackend rbdBackend(String pool, String dataPool, List<String> features) {
    return CephRbdBackend.builder()
        .provisioner("openshift-storage.rbd.csi.ceph.com")
        .clusterID("openshift-storage")
        .pool(pool)
        .dataPool(dataPool)
        .imageFeatures(features)
        .secretNamespace("openshift-storage")
        .fsType("ext4")
        .build();
  }
}

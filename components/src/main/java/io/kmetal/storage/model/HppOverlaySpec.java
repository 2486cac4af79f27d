package io.kmetal.storage.model;

import java.util.List;

/**
 * The HostPathProvisioner overlay for small VM-state PVCs (TPM, EFI), plus the KubeVirt setting
 * that sends them there.
 *
 * @param kubevirt null leaves the KubeVirt CR alone
 */
public record HppOverlaySpec(
    String name,
    List<String> featureGates,
    List<StoragePoolSpec> storagePools,
    WorkloadSpec workload,
    KubeVirtRef kubevirt) {
  public static final String SNAPSHOTTING = "Snapshotting";

  public HppOverlaySpec {
    featureGates = Defaults.list(featureGates);
    storagePools = Defaults.list(storagePools);
  }

  public boolean snapshotsOn() {
    return featureGates.contains(SNAPSHOTTING)
        || storagePools.stream().anyMatch(p -> p.snapshotProvider() != null);
  }
}

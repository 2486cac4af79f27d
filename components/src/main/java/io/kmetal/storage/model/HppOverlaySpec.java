package io.kmetal.storage.model;

import java.util.List;

/**
 * The HostPathProvisioner overlay for small VM-state PVCs (TPM, EFI), plus the KubeVirt setting
 * that sends them there.
 *
 * @param kubevirt null leaves the KubeVirt CR alone
 * @param availableTimeoutSeconds how long {@code pulumi up} waits for the HostPathProvisioner to
 *     report Available before it points KubeVirt's {@code vmStateStorageClass} at the overlay
 *     class; default 600
 */
public record HppOverlaySpec(
    String name,
    List<String> featureGates,
    List<StoragePoolSpec> storagePools,
    WorkloadSpec workload,
    KubeVirtRef kubevirt,
    Integer availableTimeoutSeconds) {
  public static final String SNAPSHOTTING = "Snapshotting";

  public HppOverlaySpec {
    featureGates = Defaults.list(featureGates);
    storagePools = Defaults.list(storagePools);
    availableTimeoutSeconds = Defaults.or(availableTimeoutSeconds, 600);
  }

  /**
   * This spec, or when it has no {@code name} the same spec named {@code name}: a component's
   * logical name is the default, as in pulumi-eks and awsx.
   */
  public HppOverlaySpec namedIfUnnamed(String name) {
    return this.name != null ? this : Defaults.with(this, "name", name);
  }

  public boolean snapshotsOn() {
    return featureGates.contains(SNAPSHOTTING)
        || storagePools.stream().anyMatch(p -> p.snapshotProvider() != null);
  }

  /** A builder with every component unset (null), so the canonical constructor's defaults apply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fluent setters named like the components; {@link #build} calls the canonical constructor. */
  public static final class Builder {
    private String name;
    private List<String> featureGates;
    private List<StoragePoolSpec> storagePools;
    private WorkloadSpec workload;
    private KubeVirtRef kubevirt;
    private Integer availableTimeoutSeconds;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder featureGates(List<String> featureGates) {
      this.featureGates = featureGates;
      return this;
    }

    public Builder featureGates(String... featureGates) {
      return featureGates(List.of(featureGates));
    }

    public Builder storagePools(List<StoragePoolSpec> storagePools) {
      this.storagePools = storagePools;
      return this;
    }

    public Builder storagePools(StoragePoolSpec... storagePools) {
      return storagePools(List.of(storagePools));
    }

    public Builder workload(WorkloadSpec workload) {
      this.workload = workload;
      return this;
    }

    public Builder kubevirt(KubeVirtRef kubevirt) {
      this.kubevirt = kubevirt;
      return this;
    }

    public Builder availableTimeoutSeconds(Integer availableTimeoutSeconds) {
      this.availableTimeoutSeconds = availableTimeoutSeconds;
      return this;
    }

    public HppOverlaySpec build() {
      return new HppOverlaySpec(
          name, featureGates, storagePools, workload, kubevirt, availableTimeoutSeconds);
    }
  }
}

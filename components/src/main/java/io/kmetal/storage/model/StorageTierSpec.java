package io.kmetal.storage.model;

import java.util.List;

/**
 * One StorageClass tier of the under cluster.
 *
 * <p>Defaults: {@code storageClassName} = {@code name}, {@code reclaimPolicy} = Retain (data
 * survives a deleted claim unless asked otherwise), {@code volumeBindingMode} =
 * WaitForFirstConsumer, {@code allowVolumeExpansion} = true, {@code isDefault} = false.
 *
 * @param enforceSingleDefault also render a ValidatingAdmissionPolicy that refuses, from anyone, a
 *     second default StorageClass (when this tier is the default) and a second default
 *     VolumeSnapshotClass of its driver (when its snapshot class is); default false
 * @param role {@code platform}, {@code tenant} or null: local-path tiers of the two roles must map
 *     disjoint node sets (the control plane vs. the tenant workers).
 * @param protection how the pool behind the class keeps its data (replicas or erasure coding,
 *     compression, device class): what {@code kmetal plan} counts raw capacity with; not rendered
 * @param retainCleanup a CronJob listing (and, if asked, deleting) the class's Released volumes;
 *     null: none
 */
public record StorageTierSpec(
    String name,
    String storageClassName,
    String description,
    String role,
    Boolean isDefault,
    String reclaimPolicy,
    String volumeBindingMode,
    Boolean allowVolumeExpansion,
    List<String> mountOptions,
    Backend backend,
    StorageProfileSpec storageProfile,
    SnapshotClassSpec snapshotClass,
    Boolean enforceSingleDefault,
    DataProtectionSpec protection,
    RetainCleanupSpec retainCleanup) {

  public StorageTierSpec {
    storageClassName = Defaults.or(storageClassName, name);
    isDefault = Defaults.or(isDefault, false);
    reclaimPolicy = Defaults.or(reclaimPolicy, "Retain");
    volumeBindingMode = Defaults.or(volumeBindingMode, "WaitForFirstConsumer");
    allowVolumeExpansion = Defaults.or(allowVolumeExpansion, true);
    mountOptions = Defaults.list(mountOptions);
    enforceSingleDefault = Defaults.or(enforceSingleDefault, false);
  }

  /**
   * This spec, or when it has no {@code name} the same spec named {@code name}: a component's
   * logical name is the default, as in pulumi-eks and awsx. Defaults derived from the name ({@code
   * storageClassName}) follow it.
   */
  public StorageTierSpec namedIfUnnamed(String name) {
    return this.name != null ? this : Defaults.with(this, "name", name);
  }

  /** This tier with its snapshot class replaced (a fleet decides which class is the default). */
  public StorageTierSpec withSnapshotClass(SnapshotClassSpec snapshotClass) {
    return Defaults.with(this, "snapshotClass", snapshotClass);
  }

  public boolean isLocalPath() {
    return backend != null && backend.localPath() != null;
  }

  /** A builder with every component unset (null), so the canonical constructor's defaults apply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fluent setters named like the components; {@link #build} calls the canonical constructor. */
  public static final class Builder {
    private String name;
    private String storageClassName;
    private String description;
    private String role;
    private Boolean isDefault;
    private String reclaimPolicy;
    private String volumeBindingMode;
    private Boolean allowVolumeExpansion;
    private List<String> mountOptions;
    private Backend backend;
    private StorageProfileSpec storageProfile;
    private SnapshotClassSpec snapshotClass;
    private Boolean enforceSingleDefault;
    private DataProtectionSpec protection;
    private RetainCleanupSpec retainCleanup;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder storageClassName(String storageClassName) {
      this.storageClassName = storageClassName;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder role(String role) {
      this.role = role;
      return this;
    }

    public Builder isDefault(Boolean isDefault) {
      this.isDefault = isDefault;
      return this;
    }

    public Builder reclaimPolicy(String reclaimPolicy) {
      this.reclaimPolicy = reclaimPolicy;
      return this;
    }

    public Builder volumeBindingMode(String volumeBindingMode) {
      this.volumeBindingMode = volumeBindingMode;
      return this;
    }

    public Builder allowVolumeExpansion(Boolean allowVolumeExpansion) {
      this.allowVolumeExpansion = allowVolumeExpansion;
      return this;
    }

    public Builder mountOptions(List<String> mountOptions) {
      this.mountOptions = mountOptions;
      return this;
    }

    public Builder mountOptions(String... mountOptions) {
      return mountOptions(List.of(mountOptions));
    }

    public Builder backend(Backend backend) {
      this.backend = backend;
      return this;
    }

    public Builder storageProfile(StorageProfileSpec storageProfile) {
      this.storageProfile = storageProfile;
      return this;
    }

    public Builder enforceSingleDefault(Boolean enforceSingleDefault) {
      this.enforceSingleDefault = enforceSingleDefault;
      return this;
    }

    public Builder snapshotClass(SnapshotClassSpec snapshotClass) {
      this.snapshotClass = snapshotClass;
      return this;
    }

    public Builder protection(DataProtectionSpec protection) {
      this.protection = protection;
      return this;
    }

    public Builder retainCleanup(RetainCleanupSpec retainCleanup) {
      this.retainCleanup = retainCleanup;
      return this;
    }

    public StorageTierSpec build() {
      return new StorageTierSpec(
          name,
          storageClassName,
          description,
          role,
          isDefault,
          reclaimPolicy,
          volumeBindingMode,
          allowVolumeExpansion,
          mountOptions,
          backend,
          storageProfile,
          snapshotClass,
          enforceSingleDefault,
          protection,
          retainCleanup);
    }
  }
}

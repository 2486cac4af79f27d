package io.kmetal.storage.model;

import java.util.List;

/**
 * One tenant: an under-cluster namespace, its storage cap, and its tenant clusters.
 *
 * <p>Defaults: {@code namespace} = {@code name}, {@code createNamespace} = false (Kamaji tenant
 * namespaces usually exist), {@code infraStorageClassName} = tenant-storage-class, {@code
 * tenantStorageClassName} = kubevirt, {@code bus} = scsi, {@code controllerReplicas} = 2, {@code
 * kubevirt} = kubevirt/kubevirt (the CR whose feature gates hot-plug needs), {@code
 * upstreamSidecars} = false, {@code maxVolumes} = {@value #DEFAULT_MAX_VOLUMES}, {@code
 * maxSnapshots} = {@value #DEFAULT_MAX_SNAPSHOTS}, {@code snapshots} = true.
 *
 * @param maxVolumes the most claims the tenant may hold on {@code infraStorageClassName}, all its
 *     clusters together (each tenant claim is a DataVolume and a claim in the under cluster, which
 *     all tenants share); the quota webhook and the ResourceQuota enforce it like the bytes
 * @param maxSnapshots the most VolumeSnapshots the tenant's namespace may hold in the under cluster
 *     (one per tenant snapshot); the ResourceQuota enforces it
 * @param enforceSingleDefault also render in each tenant cluster a ValidatingAdmissionPolicy that
 *     refuses any default StorageClass but the tenant class, and any default VolumeSnapshotClass of
 *     csi.kubevirt.io but its snapshot class; default false
 * @param snapshots whether the tenant clusters take snapshots: false leaves out the controller's
 *     csi-snapshotter and every snapshot permission, and the driver then advertises no snapshot
 *     capability (for an under cluster without the snapshot CRDs); {@code snapshotClasses} must
 *     then be empty, and a fleet maps none
 * @param snapshotClasses the tenant clusters' VolumeSnapshotClasses, each mapped to the under
 *     cluster's class its snapshots are taken with (the first is the default); none: no tenant
 *     snapshot class is rendered (a fleet maps {@code <tenantStorageClassName>-snapshot} to the
 *     infra tier's snapshot class when it has one)
 * @param tenantCredentials how the controller's sidecars and the push-mode webhook reach each
 *     tenant cluster: {@code generated} (default) gives each a ServiceAccount of its own there,
 *     bound to exactly what it calls, and a kubeconfig Secret in the under cluster built from its
 *     token (the cluster's admin kubeconfig only tells the server address, and never reaches a
 *     pod); {@code kubeconfigSecret} mounts each cluster's {@code kubeconfigSecret} as it is
 * @param upstreamSidecars run upstream's livenessprobe (controller and node pods) and
 *     node-driver-registrar (node pod) sidecars instead of the driver's own {@code /healthz} and
 *     kubelet registration; by default the node plugin is one container
 */
public record TenantStorageSpec(
    String name,
    String namespace,
    Boolean createNamespace,
    String storageQuota,
    Integer maxVolumes,
    Integer maxSnapshots,
    String infraStorageClassName,
    String tenantStorageClassName,
    String bus,
    List<TenantClusterSpec> clusters,
    Images images,
    Integer controllerReplicas,
    Boolean upstreamSidecars,
    WebhookSpec webhook,
    KubeVirtRef kubevirt,
    Boolean enforceSingleDefault,
    Boolean snapshots,
    List<TenantSnapshotClassSpec> snapshotClasses,
    String tenantCredentials) {
  public static final String DEFAULT_INFRA_CLASS = "tenant-storage-class";
  public static final int DEFAULT_MAX_VOLUMES = 100;
  public static final int DEFAULT_MAX_SNAPSHOTS = 100;
  public static final String GENERATED_CREDENTIALS = "generated";
  public static final String GIVEN_CREDENTIALS = "kubeconfigSecret";

  public TenantStorageSpec {
    namespace = Defaults.or(namespace, name);
    createNamespace = Defaults.or(createNamespace, false);
    maxVolumes = Defaults.or(maxVolumes, DEFAULT_MAX_VOLUMES);
    maxSnapshots = Defaults.or(maxSnapshots, DEFAULT_MAX_SNAPSHOTS);
    infraStorageClassName = Defaults.or(infraStorageClassName, DEFAULT_INFRA_CLASS);
    tenantStorageClassName = Defaults.or(tenantStorageClassName, "kubevirt");
    bus = Defaults.or(bus, "scsi");
    clusters = Defaults.list(clusters);
    images = Defaults.or(images, Images.DEFAULTS);
    controllerReplicas = Defaults.or(controllerReplicas, 2);
    upstreamSidecars = Defaults.or(upstreamSidecars, false);
    webhook = Defaults.or(webhook, WebhookSpec.DEFAULTS);
    kubevirt = Defaults.or(kubevirt, KubeVirtRef.DEFAULT);
    enforceSingleDefault = Defaults.or(enforceSingleDefault, false);
    snapshots = Defaults.or(snapshots, true);
    snapshotClasses = Defaults.list(snapshotClasses);
    tenantCredentials = Defaults.or(tenantCredentials, GENERATED_CREDENTIALS);
  }

  /** Whether the component builds each tenant cluster's least-privilege identities. */
  public boolean generatesCredentials() {
    return GENERATED_CREDENTIALS.equals(tenantCredentials);
  }

  /** This spec with {@code snapshotClasses} (a fleet derives them from its tiers when unset). */
  public TenantStorageSpec withSnapshotClasses(List<TenantSnapshotClassSpec> snapshotClasses) {
    return Defaults.with(this, "snapshotClasses", snapshotClasses);
  }

  /**
   * This spec, or when it has no {@code name} the same spec named {@code name}: a component's
   * logical name is the default, as in pulumi-eks and awsx. Defaults derived from the name ({@code
   * namespace}) follow it.
   */
  public TenantStorageSpec namedIfUnnamed(String name) {
    return this.name != null ? this : Defaults.with(this, "name", name);
  }

  /** The quota resource name the ResourceQuota and the webhook agree on. */
  public String quotaResource() {
    return infraStorageClassName + ".storageclass.storage.k8s.io/requests.storage";
  }

  /** The quota resource counting the tenant's claims ({@code maxVolumes}). */
  public String volumeCountResource() {
    return infraStorageClassName + ".storageclass.storage.k8s.io/persistentvolumeclaims";
  }

  /** The quota resource counting the namespace's VolumeSnapshots ({@code maxSnapshots}). */
  public static final String SNAPSHOT_COUNT_RESOURCE =
      "count/volumesnapshots.snapshot.storage.k8s.io";

  /** A builder with every component unset (null), so the canonical constructor's defaults apply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fluent setters named like the components; {@link #build} calls the canonical constructor. */
  public static final class Builder {
    private String name;
    private String namespace;
    private Boolean createNamespace;
    private String storageQuota;
    private Integer maxVolumes;
    private Integer maxSnapshots;
    private String infraStorageClassName;
    private String tenantStorageClassName;
    private String bus;
    private List<TenantClusterSpec> clusters;
    private Images images;
    private Integer controllerReplicas;
    private Boolean upstreamSidecars;
    private WebhookSpec webhook;
    private KubeVirtRef kubevirt;
    private Boolean enforceSingleDefault;
    private Boolean snapshots;
    private List<TenantSnapshotClassSpec> snapshotClasses;
    private String tenantCredentials;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder createNamespace(Boolean createNamespace) {
      this.createNamespace = createNamespace;
      return this;
    }

    public Builder storageQuota(String storageQuota) {
      this.storageQuota = storageQuota;
      return this;
    }

    public Builder maxVolumes(Integer maxVolumes) {
      this.maxVolumes = maxVolumes;
      return this;
    }

    public Builder maxSnapshots(Integer maxSnapshots) {
      this.maxSnapshots = maxSnapshots;
      return this;
    }

    public Builder infraStorageClassName(String infraStorageClassName) {
      this.infraStorageClassName = infraStorageClassName;
      return this;
    }

    public Builder tenantStorageClassName(String tenantStorageClassName) {
      this.tenantStorageClassName = tenantStorageClassName;
      return this;
    }

    public Builder bus(String bus) {
      this.bus = bus;
      return this;
    }

    public Builder clusters(List<TenantClusterSpec> clusters) {
      this.clusters = clusters;
      return this;
    }

    public Builder clusters(TenantClusterSpec... clusters) {
      return clusters(List.of(clusters));
    }

    public Builder images(Images images) {
      this.images = images;
      return this;
    }

    public Builder controllerReplicas(Integer controllerReplicas) {
      this.controllerReplicas = controllerReplicas;
      return this;
    }

    public Builder upstreamSidecars(Boolean upstreamSidecars) {
      this.upstreamSidecars = upstreamSidecars;
      return this;
    }

    public Builder webhook(WebhookSpec webhook) {
      this.webhook = webhook;
      return this;
    }

    public Builder snapshots(Boolean snapshots) {
      this.snapshots = snapshots;
      return this;
    }

    public Builder snapshotClasses(List<TenantSnapshotClassSpec> snapshotClasses) {
      this.snapshotClasses = snapshotClasses;
      return this;
    }

    public Builder tenantCredentials(String tenantCredentials) {
      this.tenantCredentials = tenantCredentials;
      return this;
    }

    public Builder enforceSingleDefault(Boolean enforceSingleDefault) {
      this.enforceSingleDefault = enforceSingleDefault;
      return this;
    }

    public Builder kubevirt(KubeVirtRef kubevirt) {
      this.kubevirt = kubevirt;
      return this;
    }

    public TenantStorageSpec build() {
      return new TenantStorageSpec(
          name,
          namespace,
          createNamespace,
          storageQuota,
          maxVolumes,
          maxSnapshots,
          infraStorageClassName,
          tenantStorageClassName,
          bus,
          clusters,
          images,
          controllerReplicas,
          upstreamSidecars,
          webhook,
          kubevirt,
          enforceSingleDefault,
          snapshots,
          snapshotClasses,
          tenantCredentials);
    }
  }
}

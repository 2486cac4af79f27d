package io.kmetal.storage.model;

import java.util.List;

/**
 * One tenant: an under-cluster namespace, its storage cap, and its tenant clusters.
 *
 * <p>Defaults: {@code namespace} = {@code name}, {@code createNamespace} = false (Kamaji tenant
 * namespaces usually exist), {@code infraStorageClassName} = tenant-storage-class, {@code
 * tenantStorageClassName} = kubevirt, {@code bus} = scsi, {@code controllerReplicas} = 2.
 */
public record TenantStorageSpec(
    String name,
    String namespace,
    Boolean createNamespace,
    String storageQuota,
    String infraStorageClassName,
    String tenantStorageClassName,
    String bus,
    List<TenantClusterSpec> clusters,
    Images images,
    Integer controllerReplicas,
    WebhookSpec webhook) {
  public static final String DEFAULT_INFRA_CLASS = "tenant-storage-class";

  public TenantStorageSpec {
    namespace = Defaults.or(namespace, name);
    createNamespace = Defaults.or(createNamespace, false);
    infraStorageClassName = Defaults.or(infraStorageClassName, DEFAULT_INFRA_CLASS);
    tenantStorageClassName = Defaults.or(tenantStorageClassName, "kubevirt");
    bus = Defaults.or(bus, "scsi");
    clusters = Defaults.list(clusters);
    images = Defaults.or(images, Images.DEFAULTS);
    controllerReplicas = Defaults.or(controllerReplicas, 2);
    webhook = Defaults.or(webhook, WebhookSpec.DEFAULTS);
  }

  /** The quota resource name the ResourceQuota and the webhook agree on. */
  public String quotaResource() {
    return infraStorageClassName + ".storageclass.storage.k8s.io/requests.storage";
  }
}

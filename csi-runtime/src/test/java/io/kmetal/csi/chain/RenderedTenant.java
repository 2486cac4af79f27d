package io.kmetal.csi.chain;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.testbed.ServiceAccountKubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One tenant cluster's storage exactly as {@code TenantStorage} renders it, applied to the sandbox:
 * the under cluster's namespace, quota, the controller's ServiceAccount and least-privilege Role,
 * the driver ConfigMap; the tenant's CSIDriver, {@code kubevirt} StorageClass and
 * VolumeSnapshotClass. (The webhook configuration is left out: QuotaWebhookIT runs the webhook.)
 * The driver then runs with the ConfigMap as its {@code --driver-config} and a token of the
 * rendered ServiceAccount, so the rendered RBAC is what the chain proves sufficient.
 */
record RenderedTenant(String namespace, String cluster, List<Manifest> manifests) {
  static RenderedTenant render(String namespace, String cluster) {
    return render(namespace, cluster, "");
  }

  /** With {@code tenantFields}: more fields of the tenant, e.g. {@code webhook: {...}}. */
  static RenderedTenant render(String namespace, String cluster, String tenantFields) {
    String fleet =
        """
        tenantStorages:
          - name: %s
            namespace: %s
            storageQuota: 10Gi
            infraStorageClassName: tenant-storage-class
            clusters:
              - name: %s
            %s
        """
            .formatted(namespace, namespace, cluster, tenantFields);
    return new RenderedTenant(
        namespace, cluster, FleetRenderer.render(FleetFile.parse(fleet, "chain-fleet.yaml")));
  }

  void apply(KubernetesClient under, KubernetesClient tenant) {
    for (Manifest m : manifests) {
      if (m.kind().endsWith("WebhookConfiguration")) continue;
      HasMetadata object = m.object();
      (m.target().equals(Target.UNDER) ? under : tenant)
          .resource(object)
          .forceConflicts()
          .serverSideApply();
    }
  }

  /** The tenant cluster's ValidatingWebhookConfiguration, which {@link #apply} leaves out. */
  io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration
      webhookConfiguration() {
    return manifests.stream()
        .filter(m -> m.kind().equals("ValidatingWebhookConfiguration"))
        .map(
            m ->
                (io.fabric8.kubernetes.api.model.admissionregistration.v1
                        .ValidatingWebhookConfiguration)
                    m.object())
        .findFirst()
        .orElseThrow();
  }

  /**
   * The rendered webhook container's arguments after the mode, with the TLS directory and port a
   * local process uses instead of the pod's.
   */
  List<String> webhookArgs(Path tlsDir) {
    var deployment =
        (io.fabric8.kubernetes.api.model.apps.Deployment)
            manifests.stream()
                .filter(m -> m.kind().equals("Deployment") && m.name().equals("kmetal-webhook"))
                .map(Manifest::object)
                .findFirst()
                .orElseThrow();
    List<String> args =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    return args.stream()
        .skip(1)
        .filter(a -> !a.startsWith("--port="))
        .map(a -> a.startsWith("--tls-dir=") ? "--tls-dir=" + tlsDir : a)
        .toList();
  }

  /**
   * Deletes what {@link #apply} created, last first, so later suites sharing the sandbox (the fleet
   * examples count what carries the part-of label) find nothing of the chain's.
   */
  void remove(KubernetesClient under, KubernetesClient tenant) {
    for (int i = manifests.size() - 1; i >= 0; i--) {
      Manifest m = manifests.get(i);
      if (m.kind().endsWith("WebhookConfiguration")) continue;
      (m.target().equals(Target.UNDER) ? under : tenant).resource(m.object()).delete();
    }
  }

  /** The rendered driver ConfigMap's data, written as the Deployment mounts it. */
  Path driverConfig(Path dir) throws IOException {
    Files.createDirectories(dir);
    var configMap =
        manifests.stream()
            .filter(m -> m.kind().equals("ConfigMap") && m.name().endsWith(cluster + "-config"))
            .map(m -> (io.fabric8.kubernetes.api.model.ConfigMap) m.object())
            .findFirst()
            .orElseThrow();
    for (Map.Entry<String, String> e : configMap.getData().entrySet())
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    return dir;
  }

  /** A kubeconfig acting as the controller's rendered ServiceAccount (a 1-hour token), 0600. */
  Path controllerKubeconfig(KubernetesClient under, Path file) throws IOException {
    return kubeconfigAs("controller", under, file);
  }

  /**
   * A kubeconfig acting as the rendered under-cluster ServiceAccount whose name contains {@code
   * account} (a 1-hour token), 0600.
   */
  Path kubeconfigAs(String account, KubernetesClient under, Path file) throws IOException {
    return kubeconfigOf(
        manifests.stream()
            .filter(m -> m.kind().equals("ServiceAccount") && m.target().equals(Target.UNDER))
            .filter(m -> m.name().contains(account))
            .map(Manifest::name)
            .findFirst()
            .orElseThrow(),
        under,
        file);
  }

  private Path kubeconfigOf(String account, KubernetesClient under, Path file) throws IOException {
    return ServiceAccountKubeconfig.write(under, namespace, account, file);
  }
}

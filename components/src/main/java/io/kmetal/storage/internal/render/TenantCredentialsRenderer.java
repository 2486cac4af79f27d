package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.kmetal.storage.model.KubeconfigSecretRef;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The least-privilege identities the under cluster's pods reach a tenant cluster with, created in
 * that cluster: the controller's four CSI sidecars (what external-provisioner, -attacher, -resizer
 * and -snapshotter call, and their leader leases in {@code kube-system}) and the push-mode webhook
 * (its own ValidatingWebhookConfiguration, by name). Each is a ServiceAccount in {@code
 * kube-system} with a {@code kubernetes.io/service-account-token} Secret that the tenant cluster's
 * token controller fills. A bound token would expire with nobody in the under cluster to renew it
 * for a kubeconfig file; this one lasts while its Secret does, and deleting the Secret revokes it
 * (the next {@code pulumi up} issues a new one). The kubeconfig built from it is written to the
 * under cluster by the Pulumi layer; the cluster's admin kubeconfig only tells where its API is.
 */
public final class TenantCredentialsRenderer {
  static final String NAMESPACE = "kube-system";

  /** The key of the kubeconfig in each generated under-cluster Secret. */
  public static final String KUBECONFIG_KEY = "kubeconfig";

  /** One caller: its name in the tenant cluster, what it may do there, and in kube-system. */
  public record Identity(String name, List<PolicyRule> clusterRules, List<PolicyRule> localRules) {}

  /** The controller's sidecars with snapshots on: what a tenant storage renders by default. */
  public static final Identity CONTROLLER = controller(true);

  /**
   * The controller's sidecars. Without snapshots there is no snapshotter, so no rights on snapshot
   * classes and contents; the provisioner still keeps its informer on VolumeSnapshots.
   */
  static Identity controller(boolean snapshots) {
    List<PolicyRule> rules =
        new ArrayList<>(
            List.of(
                Rbac.rule(
                    "",
                    List.of("persistentvolumes"),
                    "get",
                    "list",
                    "watch",
                    "create",
                    "patch",
                    "delete"),
                Rbac.rule("", List.of("persistentvolumeclaims"), "get", "list", "watch", "update"),
                Rbac.rule("", List.of("persistentvolumeclaims/status"), "patch"),
                Rbac.rule("", List.of("pods", "nodes"), Rbac.READ),
                Rbac.rule("", List.of("events"), "create", "patch"),
                Rbac.rule(
                    "storage.k8s.io",
                    List.of("storageclasses", "csinodes", "volumeattributesclasses"),
                    Rbac.READ),
                Rbac.rule(
                    "storage.k8s.io",
                    List.of("volumeattachments"),
                    "get",
                    "list",
                    "watch",
                    "patch"),
                Rbac.rule("storage.k8s.io", List.of("volumeattachments/status"), "patch")));
    if (snapshots) {
      rules.add(
          Rbac.rule(
              "snapshot.storage.k8s.io",
              List.of("volumesnapshots", "volumesnapshotclasses"),
              Rbac.READ));
      rules.add(
          Rbac.rule(
              "snapshot.storage.k8s.io",
              List.of("volumesnapshotcontents"),
              "get",
              "list",
              "watch",
              "update",
              "patch"));
      rules.add(
          Rbac.rule(
              "snapshot.storage.k8s.io",
              List.of("volumesnapshotcontents/status"),
              "update",
              "patch"));
    } else {
      rules.add(Rbac.rule("snapshot.storage.k8s.io", List.of("volumesnapshots"), Rbac.READ));
    }
    return new Identity(
        "kmetal-csi-controller",
        List.copyOf(rules),
        List.of(Rbac.rule("coordination.k8s.io", List.of("leases"), "get", "create", "update")));
  }

  public static final Identity PUSHER =
      new Identity(
          "kmetal-webhook-pusher",
          List.of(
              Rbac.named(
                  // server-side apply is a patch; where the object is missing the API server also
                  // checks create, by the name in the path
                  Rbac.rule(
                      "admissionregistration.k8s.io",
                      List.of("validatingwebhookconfigurations"),
                      "create",
                      "patch"),
                  WebhookRenderer.CONFIGURATION)),
          List.of());

  private TenantCredentialsRenderer() {}

  /** The identities {@code tenant} needs in each of its clusters (none when it brings its own). */
  public static List<Identity> identities(TenantStorageSpec tenant) {
    if (!tenant.generatesCredentials()) return List.of();
    return tenant.webhook().enabled() && tenant.webhook().pushConfiguration()
        ? List.of(controller(tenant.snapshots()), PUSHER)
        : List.of(controller(tenant.snapshots()));
  }

  public static String tokenSecretName(Identity identity) {
    return identity.name() + "-token";
  }

  /** The under-cluster Secret holding {@code identity}'s kubeconfig for {@code cluster}. */
  public static String kubeconfigSecretName(TenantClusterSpec cluster, Identity identity) {
    return cluster.name() + "-" + identity.name() + "-kubeconfig";
  }

  /** The secret the pod of {@code identity} mounts for {@code cluster}. */
  static KubeconfigSecretRef secretFor(
      TenantStorageSpec tenant, TenantClusterSpec cluster, Identity identity) {
    return tenant.generatesCredentials()
        ? new KubeconfigSecretRef(kubeconfigSecretName(cluster, identity), KUBECONFIG_KEY)
        : cluster.kubeconfigSecret();
  }

  /** The objects of every identity {@code tenant} needs, in tenant cluster {@code cluster}. */
  public static List<Manifest> render(TenantStorageSpec tenant, TenantClusterSpec cluster) {
    Target target = Target.tenant(tenant.namespace(), cluster.name());
    List<Manifest> out = new ArrayList<>();
    for (Identity identity : identities(tenant)) {
      Map<String, String> labels = Labels.of(identity.name(), cluster.name(), "tenant-identity");
      String name = identity.name();
      out.add(
          in(
              target,
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(NAMESPACE)
                  .withLabels(labels)
                  .endMetadata()
                  .build()));
      out.add(
          in(
              target,
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(tokenSecretName(identity))
                  .withNamespace(NAMESPACE)
                  .withLabels(labels)
                  .withAnnotations(Map.of("kubernetes.io/service-account.name", name))
                  .endMetadata()
                  .withType("kubernetes.io/service-account-token")
                  .build()));
      out.add(
          in(
              target,
              new ClusterRoleBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(labels)
                  .endMetadata()
                  .withRules(identity.clusterRules())
                  .build()));
      out.add(in(target, Rbac.clusterRoleBinding(name, labels, name, NAMESPACE, name)));
      if (!identity.localRules().isEmpty()) {
        out.add(
            in(
                target,
                new RoleBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(NAMESPACE)
                    .withLabels(labels)
                    .endMetadata()
                    .withRules(identity.localRules())
                    .build()));
        out.add(in(target, Rbac.roleBinding(name, NAMESPACE, labels, name, name)));
      }
    }
    return out;
  }

  private static Manifest in(Target target, HasMetadata object) {
    return new Manifest(target, object, Ownership.OWNED);
  }
}

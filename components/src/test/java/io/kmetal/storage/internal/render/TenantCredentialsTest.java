package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The under cluster's pods reach a tenant cluster with the least they need. */
class TenantCredentialsTest {
  private static TenantStorageSpec tenant(String extra) {
    return Fixtures.yaml(
            "tenantStorages: [{name: alpha, storageQuota: 1Gi, clusters: [{name: alpha-prod}]"
                + extra
                + "}]")
        .tenantStorages()
        .get(0);
  }

  private static List<PolicyRule> rulesOf(List<Manifest> manifests) {
    return manifests.stream()
        .filter(m -> m.object() instanceof ClusterRole)
        .flatMap(m -> ((ClusterRole) m.object()).getRules().stream())
        .toList();
  }

  @Test
  void noIdentityMayUseAWildcardOrTouchSecretsOrNamespaces() {
    TenantStorageSpec t = tenant(", webhook: {pushConfiguration: true}");
    List<Manifest> manifests = TenantCredentialsRenderer.render(t, t.clusters().get(0));
    assertEquals(
        List.of("kmetal-csi-controller", "kmetal-webhook-pusher"),
        manifests.stream()
            .filter(m -> m.kind().equals("ServiceAccount"))
            .map(Manifest::name)
            .toList());
    for (PolicyRule rule : rulesOf(manifests)) {
      assertFalse(rule.getVerbs().contains("*"), rule.toString());
      assertFalse(rule.getResources().contains("*"), rule.toString());
      assertFalse(rule.getResources().contains("secrets"), rule.toString());
      assertFalse(rule.getResources().contains("namespaces"), rule.toString());
    }
  }

  @Test
  void thePusherMayOnlyTouchItsOwnWebhookConfiguration() {
    TenantStorageSpec t = tenant(", webhook: {pushConfiguration: true}");
    PolicyRule rule = TenantCredentialsRenderer.PUSHER.clusterRules().get(0);
    assertEquals(List.of("validatingwebhookconfigurations"), rule.getResources());
    assertEquals(List.of(WebhookRenderer.CONFIGURATION), rule.getResourceNames());
    assertTrue(TenantCredentialsRenderer.identities(t).contains(TenantCredentialsRenderer.PUSHER));
  }

  @Test
  void withoutPushModeTheWebhookNeedsNoTenantIdentity() {
    assertEquals(
        List.of(TenantCredentialsRenderer.CONTROLLER),
        TenantCredentialsRenderer.identities(tenant("")));
  }

  @Test
  void theControllerMountsItsGeneratedKubeconfigNotTheAdminOne() {
    TenantStorageSpec t = tenant("");
    assertEquals(
        "alpha-prod-kmetal-csi-controller-kubeconfig",
        kubeconfigSecretOf(ControllerRenderer.render(t, t.clusters().get(0))));
  }

  @Test
  void givenCredentialsMountTheClustersKubeconfigSecretAndCreateNoIdentity() {
    TenantStorageSpec t = tenant(", tenantCredentials: kubeconfigSecret");
    assertEquals(
        "alpha-prod-admin-kubeconfig",
        kubeconfigSecretOf(ControllerRenderer.render(t, t.clusters().get(0))));
    assertEquals(List.of(), TenantCredentialsRenderer.render(t, t.clusters().get(0)));
  }

  private static String kubeconfigSecretOf(List<Manifest> controller) {
    PodSpec pod =
        controller.stream()
            .filter(m -> m.object() instanceof Deployment)
            .map(m -> ((Deployment) m.object()).getSpec().getTemplate().getSpec())
            .findFirst()
            .orElseThrow();
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals("tenantcluster"))
        .findFirst()
        .orElseThrow()
        .getSecret()
        .getSecretName();
  }
}

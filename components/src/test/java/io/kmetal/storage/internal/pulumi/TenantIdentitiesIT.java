package io.kmetal.storage.internal.pulumi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.TenantCredentialsRenderer;
import io.kmetal.storage.internal.render.TenantCredentialsRenderer.Identity;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered identities on a real tenant API server: its token controller issues their tokens,
 * and the kubeconfig built from one (with the cluster's admin kubeconfig giving only the server)
 * may do what its holder does and is refused the rest. The push-mode webhook's identity applies its
 * own configuration, and no other.
 */
class TenantIdentitiesIT {
  private static final TenantStorageSpec TENANT =
      Fixtures.yaml(
              "tenantStorages: [{name: alpha, storageQuota: 1Gi, clusters: [{name: alpha-prod}],"
                  + " webhook: {pushConfiguration: true}}]")
          .tenantStorages()
          .get(0);
  private static KubernetesClient admin;
  private static String adminKubeconfig;

  @BeforeAll
  static void applyTheIdentities() throws Exception {
    Sandbox.Cluster cluster = Sandbox.running().tenant("alpha", "alpha-prod");
    admin = cluster.client();
    adminKubeconfig = Files.readString(cluster.kubeconfig());
    for (Manifest m : TenantCredentialsRenderer.render(TENANT, TENANT.clusters().get(0)))
      admin.resource(m.object()).fieldManager("kmetal-it").forceConflicts().serverSideApply();
  }

  @AfterAll
  static void removeThem() {
    if (admin == null) return;
    for (Manifest m : TenantCredentialsRenderer.render(TENANT, TENANT.clusters().get(0)))
      admin.resource(m.object()).delete();
    admin
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName("kmetal-storage-quota")
        .delete();
    admin.close();
  }

  /** A client acting as {@code identity}, from the token its Secret was issued. */
  private static KubernetesClient as(Identity identity) {
    Secret token =
        admin
            .secrets()
            .inNamespace("kube-system")
            .withName(TenantCredentialsRenderer.tokenSecretName(identity))
            .waitUntilCondition(
                s -> s != null && s.getData() != null && s.getData().containsKey("token"),
                60,
                TimeUnit.SECONDS);
    String kubeconfig =
        TenantKubeconfig.build("alpha-prod", identity.name(), adminKubeconfig, token.getData());
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  private static ValidatingWebhookConfiguration configuration(String name) {
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .build();
  }

  @Test
  void theControllerReadsVolumesAndIsRefusedSecretsAndNamespaces() {
    try (KubernetesClient controller = as(TenantCredentialsRenderer.CONTROLLER)) {
      controller.persistentVolumes().list();
      controller.storage().v1().volumeAttachments().list();
      assertEquals(
          403,
          assertThrows(
                  KubernetesClientException.class,
                  () -> controller.secrets().inNamespace("kube-system").list())
              .getCode());
      assertEquals(
          403,
          assertThrows(
                  KubernetesClientException.class,
                  () -> controller.namespaces().withName("kube-system").delete())
              .getCode());
    }
  }

  @Test
  void thePusherAppliesItsOwnConfigurationAndNoOther() {
    try (KubernetesClient pusher = as(TenantCredentialsRenderer.PUSHER)) {
      pusher
          .resource(configuration("kmetal-storage-quota"))
          .fieldManager("kmetal-webhook")
          .forceConflicts()
          .serverSideApply();
      assertEquals(
          403,
          assertThrows(
                  KubernetesClientException.class,
                  () ->
                      pusher
                          .resource(configuration("someone-elses"))
                          .fieldManager("kmetal-webhook")
                          .forceConflicts()
                          .serverSideApply())
              .getCode());
      assertEquals(
          403,
          assertThrows(
                  KubernetesClientException.class,
                  () ->
                      pusher.admissionRegistration().v1().validatingWebhookConfigurations().list())
              .getCode());
    }
  }
}

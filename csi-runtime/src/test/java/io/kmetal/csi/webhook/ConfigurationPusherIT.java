package io.kmetal.csi.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kmetal.csi.tls.LoopbackCertificates;
import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push mode against a real tenant API server: the rendered configuration goes in with the serving
 * secret's CA as its caBundle, a rotated CA is pushed again, and a cluster without a kubeconfig is
 * named at start.
 */
class ConfigurationPusherIT {
  private static final String NAME = "kmetal-storage-quota-push-test";
  private static Path dir;
  private static KubernetesClient tenant;
  private static Sandbox.Cluster cluster;

  @BeforeAll
  static void setUp() throws Exception {
    cluster = Sandbox.withTenants(List.of("chain/chain-one")).tenant("chain", "chain-one");
    tenant = cluster.client();
    dir = Files.createTempDirectory("push-");
    Files.createDirectories(dir.resolve("configurations"));
    Files.createDirectories(dir.resolve("tenants/chain-one"));
    Files.copy(cluster.kubeconfig(), dir.resolve("tenants/chain-one/kubeconfig"));
    ValidatingWebhookConfiguration rendered =
        new ValidatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(NAME)
            .endMetadata()
            .addNewWebhook()
            .withName("quota.storage.kmetal.io")
            .withAdmissionReviewVersions("v1")
            .withSideEffects("None")
            .withFailurePolicy("Ignore")
            .withNewClientConfig()
            .withUrl("https://127.0.0.1:1/validate-pvc/chain-one")
            .endClientConfig()
            .addNewRule()
            .withApiGroups("")
            .withApiVersions("v1")
            .withOperations("CREATE")
            .withResources("persistentvolumeclaims")
            .endRule()
            .endWebhook()
            .build();
    // As TenantStorage renders it into the kmetal-webhook-configurations ConfigMap: JSON (YAML too)
    Files.writeString(dir.resolve("configurations/chain-one.yaml"), Serialization.asJson(rendered));
  }

  @AfterAll
  static void tearDown() {
    if (tenant != null) {
      tenant.admissionRegistration().v1().validatingWebhookConfigurations().withName(NAME).delete();
      tenant.close();
    }
  }

  private static String pushedCaBundle() {
    return tenant
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .withName(NAME)
        .get()
        .getWebhooks()
        .get(0)
        .getClientConfig()
        .getCaBundle();
  }

  @Test
  void pushesTheRenderedConfigurationWithTheCurrentCaAndAgainAfterARotation() throws Exception {
    var certificates = LoopbackCertificates.issue(dir.resolve("tls"), "kmetal-webhook");
    var pusher =
        new ConfigurationPusher(
            dir.resolve("configurations"), dir.resolve("tenants"), dir.resolve("tls/ca.crt"));
    assertEquals(List.of(), pusher.missingKubeconfigs());
    assertEquals(List.of(), pusher.pushAll());
    String first = pushedCaBundle();
    assertEquals(certificates.caBundle(), first);

    var rotated = LoopbackCertificates.issue(dir.resolve("tls"), "kmetal-webhook");
    assertEquals(List.of(), pusher.pushAll());
    assertEquals(rotated.caBundle(), pushedCaBundle());
    assertNotEquals(first, pushedCaBundle());
  }

  @Test
  void namesTheClustersWithoutAKubeconfigAndReportsThoseItCannotReach() throws Exception {
    Path configurations = Files.createTempDirectory(dir, "more-");
    Files.copy(dir.resolve("configurations/chain-one.yaml"), configurations.resolve("gone.yaml"));
    var pusher =
        new ConfigurationPusher(configurations, dir.resolve("tenants"), dir.resolve("tls/ca.crt"));
    assertEquals(List.of("gone"), pusher.missingKubeconfigs());
    LoopbackCertificates.issue(dir.resolve("tls"), "kmetal-webhook");
    assertEquals(List.of("gone"), pusher.pushAll());
  }
}

package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** webhook.certificate.certManager: the render deploys as is, cert-manager issuing the TLS. */
class CertManagerTest {
  private static TenantStorageSpec tenant(String webhook) {
    return Fixtures.yaml(
            "tenantStorages: [{name: alpha, storageQuota: 10Gi, clusters: [{name: prod}], webhook: "
                + webhook
                + "}]")
        .tenantStorages()
        .get(0);
  }

  private static final String CERT_MANAGER =
      "{certificate: {certManager: {issuerRef: {name: webhook-ca, kind: ClusterIssuer}}}}";

  @Test
  void aCertificateForTheServicesNamesWritesTheServingSecretAndPushModeDeliversTheCa() {
    TenantStorageSpec t = tenant(CERT_MANAGER);
    assertTrue(t.webhook().pushConfiguration(), "push mode is the default with cert-manager");
    assertTrue(!t.webhook().generatesCertificate(), "cert-manager issues it, not the component");
    List<Manifest> out = TenantStorageRenderer.render(t);
    var certificate =
        (GenericKubernetesResource)
            out.stream()
                .filter(m -> m.kind().equals("Certificate"))
                .findFirst()
                .orElseThrow()
                .object();
    assertEquals("alpha", certificate.getMetadata().getNamespace());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    assertEquals("kmetal-webhook-tls", spec.get("secretName"));
    assertEquals(
        List.of(
            "kmetal-webhook",
            "kmetal-webhook.alpha",
            "kmetal-webhook.alpha.svc",
            "kmetal-webhook.alpha.svc.cluster.local"),
        spec.get("dnsNames"));
    assertEquals(
        Map.of("name", "webhook-ca", "kind", "ClusterIssuer", "group", "cert-manager.io"),
        spec.get("issuerRef"));
    assertTrue(
        out.stream()
            .noneMatch(m -> !m.target().isUnder() && m.kind().endsWith("WebhookConfiguration")),
        "the webhook pushes the tenant configurations with cert-manager's CA");
  }

  @Test
  void anIpUrlHostGoesUnderIpAddresses() {
    TenantStorageSpec t =
        tenant(
            "{url: \"https://198.18.0.7/validate-pvc\", certificate: {certManager: {issuerRef:"
                + " {name: ca}}}}");
    var certificate =
        (GenericKubernetesResource)
            TenantStorageRenderer.render(t).stream()
                .filter(m -> m.kind().equals("Certificate"))
                .findFirst()
                .orElseThrow()
                .object();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) certificate.getAdditionalProperties().get("spec");
    assertEquals(List.of("198.18.0.7"), spec.get("ipAddresses"));
  }

  @Test
  void certManagerWithACaBundleOrWithoutPushModeIsRefusedNamingTheField() {
    String ca = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t";
    List<Problem> problems =
        Validator.validate(
            Fixtures.yaml(
                "tenantStorages: [{name: alpha, storageQuota: 10Gi, clusters: [{name: prod}],"
                    + " webhook: {caBundle: "
                    + ca
                    + ", pushConfiguration: false, certificate: {certManager: {issuerRef: {name:"
                    + " ca, kind: Vault}}}}}]"));
    String at = "tenantStorages[0].webhook.certificate.certManager";
    assertTrue(
        problems.stream()
            .anyMatch(p -> p.field().equals(at) && p.message().contains("not used with caBundle")),
        problems::toString);
    assertTrue(
        problems.stream()
            .anyMatch(p -> p.field().equals(at) && p.message().contains("needs pushConfiguration")),
        problems::toString);
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.field().equals(at + ".issuerRef.kind")
                        && p.message().contains("Issuer, ClusterIssuer")),
        problems::toString);
  }
}

package io.kmetal.storage.internal.pulumi;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.WebhookRenderer;
import io.kmetal.storage.model.TenantStorageSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook certificates the components generate: each secret is created once and then kept (a new
 * certificate is issued on every run, and ignored), and every webhook configuration of the tenant
 * takes its CA bundle from the tenant's secret as the cluster holds it, so the two never disagree.
 */
public final class GeneratedCertificateWiring implements Wiring {
  private static final String ANNOTATION_PATH =
      "metadata.annotations[\"" + WebhookRenderer.CA_BUNDLE_ANNOTATION + "\"]";

  /** Logical name of each generated secret, by its tenant's namespace. */
  private final Map<String, String> secrets;

  private GeneratedCertificateWiring(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /**
   * Issues a certificate for each of {@code tenants} whose webhook generates its own, adds its
   * secret to {@code manifests}, and wires the tenants' configurations to them.
   */
  public static Wiring issue(List<TenantStorageSpec> tenants, List<Manifest> manifests) {
    Map<String, String> secrets = new HashMap<>();
    for (TenantStorageSpec tenant : tenants) {
      if (!tenant.webhook().enabled() || !tenant.webhook().generatesCertificate()) continue;
      WebhookCertificate issued = issue(tenant, Instant.now());
      Manifest secret =
          WebhookRenderer.tlsSecret(
              tenant, issued.certificatePem(), issued.keyPem(), issued.caPem());
      manifests.add(secret);
      secrets.put(tenant.namespace(), ManifestResources.logicalName(secret));
    }
    return secrets.isEmpty() ? Wiring.NONE : new GeneratedCertificateWiring(secrets);
  }

  /** A new CA and serving certificate for the tenant's webhook, valid from {@code now}. */
  public static WebhookCertificate issue(TenantStorageSpec tenant, Instant now) {
    return WebhookCertificate.issue(
        WebhookRenderer.certificateName(tenant), WebhookRenderer.certificateHosts(tenant), now);
  }

  @Override
  public boolean first(Manifest m) {
    return isSecret(m);
  }

  @Override
  public void options(Manifest m, CustomResourceOptions.Builder options) {
    if (isSecret(m)) options.ignoreChanges(List.of("data", ANNOTATION_PATH));
  }

  @Override
  public Map<String, Output<Object>> inputs(Manifest m, Map<String, KubernetesObject> registered) {
    if (!m.kind().equals("ValidatingWebhookConfiguration")) return Map.of();
    String secret = secrets.get(m.target().tenantNamespace());
    if (secret == null) return Map.of();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> webhooks =
        (List<Map<String, Object>>) KubernetesObject.plain(m).get("webhooks");
    Output<Object> wired =
        registered
            .get(secret)
            .metadata()
            .applyValue(
                meta -> {
                  String ca = meta.annotations().get(WebhookRenderer.CA_BUNDLE_ANNOTATION);
                  for (Map<String, Object> hook : webhooks) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> client = (Map<String, Object>) hook.get("clientConfig");
                    client.put("caBundle", ca);
                  }
                  return webhooks;
                });
    return Map.of("webhooks", wired);
  }

  private boolean isSecret(Manifest m) {
    return m.kind().equals("Secret") && secrets.containsValue(ManifestResources.logicalName(m));
  }
}

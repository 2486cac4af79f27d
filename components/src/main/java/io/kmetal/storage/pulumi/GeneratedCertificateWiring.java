package io.kmetal.storage.pulumi;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import io.kmetal.storage.render.Manifest;
import io.kmetal.storage.render.WebhookRenderer;
import java.util.List;
import java.util.Map;

/**
 * A webhook certificate the component generated: its secret is created once and then kept (a new
 * certificate is issued on every run, and ignored), and every webhook configuration takes its CA
 * bundle from the secret as the cluster holds it, so the two never disagree.
 */
public final class GeneratedCertificateWiring implements Wiring {
  private static final String ANNOTATION_PATH =
      "metadata.annotations[\"" + WebhookRenderer.CA_BUNDLE_ANNOTATION + "\"]";
  private final String secret;

  /**
   * @param secret the generated secret's manifest
   */
  public GeneratedCertificateWiring(Manifest secret) {
    this.secret = ManifestResources.logicalName(secret);
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
    return m.kind().equals("Secret") && ManifestResources.logicalName(m).equals(secret);
  }
}

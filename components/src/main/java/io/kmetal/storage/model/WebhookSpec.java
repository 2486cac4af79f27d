package io.kmetal.storage.model;

/**
 * The tenant's quota admission webhook.
 *
 * <p>Defaults: enabled, 2 replicas, {@code failurePolicy: Ignore} (a webhook outage never blocks
 * tenants; the under cluster's ResourceQuota still holds the hard ceiling), 5 s timeout, TLS from
 * secret {@code kmetal-webhook-tls}, reached by the tenant API servers (Kamaji runs them in the
 * under cluster) at {@code https://kmetal-webhook.<namespace>.svc/validate-pvc}.
 *
 * @param caBundle base64 PEM of the CA that signed the webhook's serving certificate
 */
public record WebhookSpec(
    Boolean enabled,
    Integer replicas,
    String failurePolicy,
    Integer timeoutSeconds,
    String url,
    String caBundle,
    String tlsSecretName) {
  public static final WebhookSpec DEFAULTS = new WebhookSpec(null, null, null, null, null, null, null);

  public WebhookSpec {
    enabled = Defaults.or(enabled, true);
    replicas = Defaults.or(replicas, 2);
    failurePolicy = Defaults.or(failurePolicy, "Ignore");
    timeoutSeconds = Defaults.or(timeoutSeconds, 5);
    tlsSecretName = Defaults.or(tlsSecretName, "kmetal-webhook-tls");
  }
}

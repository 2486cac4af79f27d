package io.kmetal.storage.model;

/**
 * Where the webhook's serving certificate comes from, besides the generated and brought-your-own
 * modes of {@link WebhookSpec}: {@code certManager} has cert-manager issue and renew it in the
 * under cluster (a Certificate writing secret {@code tlsSecretName}), and the webhook then pushes
 * the secret's {@code ca.crt} to the tenant configurations.
 */
public record WebhookCertificateSpec(CertManager certManager) {
  /** A cert-manager Certificate issued by {@code issuerRef}. */
  public record CertManager(IssuerRef issuerRef) {}

  /**
   * The cert-manager issuer: {@code kind} Issuer (in the tenant's namespace, the default) or
   * ClusterIssuer; {@code group} cert-manager.io unless an external issuer's.
   */
  public record IssuerRef(String name, String kind, String group) {
    public IssuerRef {
      kind = Defaults.or(kind, "Issuer");
      group = Defaults.or(group, "cert-manager.io");
    }
  }
}

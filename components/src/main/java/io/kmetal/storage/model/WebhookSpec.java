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
 * @param namespaceSelector the tenant namespaces whose claims are checked; null: all of them
 * @param pushConfiguration the webhook applies each tenant cluster's configuration itself, with the
 *     CA from its serving secret's {@code ca.crt}, instead of the component rendering it
 * @param certificate {@code certManager: {issuerRef}}: a cert-manager Certificate in the under
 *     cluster writes {@code tlsSecretName} and renews it; push mode (then the default) delivers its
 *     CA to the tenant configurations
 * @param generateCertificate the Pulumi component issues the CA and serving certificate, creates
 *     the secret {@code tlsSecretName} and wires the CA into the configurations; default: when no
 *     {@code caBundle} is given
 */
public record WebhookSpec(
    Boolean enabled,
    Integer replicas,
    String failurePolicy,
    Integer timeoutSeconds,
    String url,
    String caBundle,
    String tlsSecretName,
    LabelSelectorSpec namespaceSelector,
    Boolean pushConfiguration,
    Boolean generateCertificate,
    WebhookCertificateSpec certificate) {
  public static final WebhookSpec DEFAULTS =
      new WebhookSpec(null, null, null, null, null, null, null, null, null, null, null);

  public WebhookSpec {
    enabled = Defaults.or(enabled, true);
    replicas = Defaults.or(replicas, 2);
    failurePolicy = Defaults.or(failurePolicy, "Ignore");
    timeoutSeconds = Defaults.or(timeoutSeconds, 5);
    tlsSecretName = Defaults.or(tlsSecretName, "kmetal-webhook-tls");
    // cert-manager's CA reaches the tenant clusters only through push mode
    pushConfiguration = Defaults.or(pushConfiguration, certManager(certificate));
  }

  private static boolean certManager(WebhookCertificateSpec certificate) {
    return certificate != null && certificate.certManager() != null;
  }

  /** Whether cert-manager issues the serving certificate ({@code certificate.certManager}). */
  public boolean usesCertManager() {
    return certManager(certificate);
  }

  /**
   * Whether the component issues the certificate: as set, else when no caBundle is given and
   * cert-manager does not issue it.
   */
  public boolean generatesCertificate() {
    return generateCertificate != null
        ? generateCertificate
        : caBundle == null && !usesCertManager();
  }

  /** A builder with every component unset (null), so the canonical constructor's defaults apply. */
  public static Builder builder() {
    return new Builder();
  }

  /** Fluent setters named like the components; {@link #build} calls the canonical constructor. */
  public static final class Builder {
    private Boolean enabled;
    private Integer replicas;
    private String failurePolicy;
    private Integer timeoutSeconds;
    private String url;
    private String caBundle;
    private String tlsSecretName;
    private LabelSelectorSpec namespaceSelector;
    private Boolean pushConfiguration;
    private Boolean generateCertificate;
    private WebhookCertificateSpec certificate;

    private Builder() {}

    public Builder certificate(WebhookCertificateSpec certificate) {
      this.certificate = certificate;
      return this;
    }

    public Builder enabled(Boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder replicas(Integer replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder failurePolicy(String failurePolicy) {
      this.failurePolicy = failurePolicy;
      return this;
    }

    public Builder timeoutSeconds(Integer timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
      return this;
    }

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder caBundle(String caBundle) {
      this.caBundle = caBundle;
      return this;
    }

    public Builder tlsSecretName(String tlsSecretName) {
      this.tlsSecretName = tlsSecretName;
      return this;
    }

    public Builder namespaceSelector(LabelSelectorSpec namespaceSelector) {
      this.namespaceSelector = namespaceSelector;
      return this;
    }

    public Builder pushConfiguration(Boolean pushConfiguration) {
      this.pushConfiguration = pushConfiguration;
      return this;
    }

    public Builder generateCertificate(Boolean generateCertificate) {
      this.generateCertificate = generateCertificate;
      return this;
    }

    public WebhookSpec build() {
      return new WebhookSpec(
          enabled,
          replicas,
          failurePolicy,
          timeoutSeconds,
          url,
          caBundle,
          tlsSecretName,
          namespaceSelector,
          pushConfiguration,
          generateCertificate,
          certificate);
    }
  }
}

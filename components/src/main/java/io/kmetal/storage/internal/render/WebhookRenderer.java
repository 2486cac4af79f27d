package io.kmetal.storage.internal.render;

import static io.kmetal.contract.DriverFlags.flag;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperationsBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.kmetal.contract.DriverFlags;
import io.kmetal.contract.WebhookNames;
import io.kmetal.storage.model.LabelSelectorSpec;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantSnapshotClassSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.WebhookSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's quota webhook: one Deployment and Service in the tenant's under-cluster namespace,
 * and in each tenant cluster a ValidatingWebhookConfiguration for PVC CREATE/UPDATE/DELETE pointing
 * back at it (Kamaji runs tenant API servers in the under cluster, so they reach the Service).
 */
public final class WebhookRenderer {
  public static final String NAME = "kmetal-webhook";
  public static final String CONFIGURATION = "kmetal-storage-quota";
  static final String WEBHOOK = "quota.storage.kmetal.io";
  static final String PATH = WebhookNames.PATH;
  static final int PORT = 8443;
  static final String TLS_DIR = "/etc/kmetal/tls";
  static final String LEDGER = WebhookNames.LEDGER;
  static final String CONFIGURATIONS = "kmetal-webhook-configurations";
  public static final String CA_BUNDLE_ANNOTATION = "storage.kmetal.io/ca-bundle";
  static final String CONFIGURATIONS_DIR = "/etc/kmetal/configurations";
  static final String TENANTS_DIR = "/etc/kmetal/tenants";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private WebhookRenderer() {}

  /**
   * The cert-manager Certificate for {@code certificate.certManager}: the Service's names (and the
   * {@code url} host), an ECDSA P-256 key replaced at each renewal, written to {@code
   * tlsSecretName} with the issuer's {@code ca.crt}, which the webhook serves and pushes.
   */
  static HasMetadata certificate(TenantStorageSpec tenant, Map<String, String> labels) {
    WebhookSpec w = tenant.webhook();
    var issuer = w.certificate().certManager().issuerRef();
    List<String> hosts = certificateHosts(tenant);
    List<String> ips = hosts.stream().filter(WebhookRenderer::isIpAddress).toList();
    Map<String, Object> spec =
        Ordered.map(
            "secretName",
            w.tlsSecretName(),
            "dnsNames",
            hosts.stream().filter(h -> !isIpAddress(h)).toList(),
            "usages",
            List.of("server auth", "digital signature"),
            "privateKey",
            Ordered.map("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Always"),
            "issuerRef",
            Ordered.map("name", issuer.name(), "kind", issuer.kind(), "group", issuer.group()));
    if (!ips.isEmpty()) spec.put("ipAddresses", ips);
    return Crds.object(
        "cert-manager.io/v1",
        "Certificate",
        tenant.namespace(),
        NAME,
        labels,
        Ordered.map("spec", spec));
  }

  /** A literal IPv4 or IPv6 address (a url host cert-manager lists under ipAddresses). */
  private static boolean isIpAddress(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  /** Under-cluster objects of the webhook; nothing when it is disabled. */
  public static List<Manifest> renderUnder(TenantStorageSpec tenant) {
    WebhookSpec w = tenant.webhook();
    if (!w.enabled()) return List.of();
    String ns = tenant.namespace();
    Map<String, String> labels = Labels.of(NAME, tenant.name(), "quota-webhook");
    List<Manifest> out = new ArrayList<>();
    out.add(
        Manifest.under(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .build()));
    out.add(
        Manifest.under(
            new RoleBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withRules(
                    Rbac.rule(
                        "", List.of("resourcequotas", "persistentvolumeclaims"), "list", "watch"),
                    Rbac.rule("", List.of("configmaps"), "create"),
                    ledger())
                .addAllToRules(
                    checksSnapshots(tenant)
                        ? List.of(
                            Rbac.rule(
                                "snapshot.storage.k8s.io",
                                List.of("volumesnapshots"),
                                "list",
                                "watch"))
                        : List.of())
                .build()));
    out.add(Manifest.under(Rbac.roleBinding(NAME, ns, labels, NAME, NAME)));
    out.add(
        Manifest.under(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withSelector(Labels.selector(NAME, tenant.name()))
                .addNewPort()
                .withName("https")
                .withPort(443)
                .withNewTargetPort("https")
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build()));
    if (w.usesCertManager()) out.add(Manifest.under(certificate(tenant, labels)));
    if (w.pushConfiguration()) out.add(Manifest.under(configurations(tenant, labels)));
    out.add(Manifest.under(deployment(tenant, labels)));
    Map<String, String> selector = Labels.selector(NAME, tenant.name());
    out.addAll(Availability.budget(NAME, ns, labels, selector, w.replicas()));
    out.add(Availability.onlyPort(NAME, ns, labels, selector, PORT));
    return out;
  }

  /**
   * Push mode: each tenant cluster's configuration, {@code <cluster>.yaml}, without a CA bundle
   * (the webhook adds its own serving secret's {@code ca.crt} when it applies them).
   */
  private static ConfigMap configurations(TenantStorageSpec tenant, Map<String, String> labels) {
    Map<String, String> data = new LinkedHashMap<>();
    for (TenantClusterSpec cluster : tenant.clusters()) {
      try {
        data.put(cluster.name() + ".yaml", JSON.writeValueAsString(configuration(tenant, cluster)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialize a webhook configuration", e);
      }
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(CONFIGURATIONS)
        .withNamespace(tenant.namespace())
        .withLabels(labels)
        .endMetadata()
        .withData(data)
        .build();
  }

  /**
   * Reading and updating the webhook's ledger ConfigMap only; creating it is a rule of its own (the
   * API server cannot limit create by name).
   */
  private static io.fabric8.kubernetes.api.model.rbac.PolicyRule ledger() {
    return Rbac.named(Rbac.rule("", List.of("configmaps"), "get", "update"), LEDGER);
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(
      TenantStorageSpec tenant, Map<String, String> labels) {
    WebhookSpec w = tenant.webhook();
    List<String> args =
        new ArrayList<>(
            List.of(
                DriverFlags.Webhook.MODE,
                flag(DriverFlags.Webhook.STORAGE_CLASS, tenant.infraStorageClassName()),
                flag(DriverFlags.Webhook.TENANT_STORAGE_CLASS, tenant.tenantStorageClassName()),
                flag(DriverFlags.Webhook.NAMESPACE, tenant.namespace()),
                flag(DriverFlags.Webhook.QUOTA, ResourceQuotaRenderer.name(tenant)),
                flag(DriverFlags.Webhook.TLS_DIR, TLS_DIR),
                flag(DriverFlags.Webhook.PORT, PORT)));
    if (checksSnapshots(tenant))
      args.add(
          flag(
              DriverFlags.Webhook.TENANT_SNAPSHOT_CLASS,
              String.join(
                  ",",
                  tenant.snapshotClasses().stream().map(TenantSnapshotClassSpec::name).toList())));
    List<VolumeMount> mounts =
        new ArrayList<>(List.of(Containers.readOnly("tls", TLS_DIR), Containers.tmpMount()));
    List<Volume> volumes =
        new ArrayList<>(
            List.of(
                new VolumeBuilder()
                    .withName("tls")
                    .withNewSecret()
                    .withSecretName(w.tlsSecretName())
                    .endSecret()
                    .build(),
                Containers.tmp()));
    if (w.pushConfiguration()) pushMode(tenant, args, mounts, volumes);
    Map<String, String> workload = Labels.workload(labels, NAME);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withNamespace(tenant.namespace())
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withReplicas(w.replicas())
        .withNewSelector()
        .withMatchLabels(Labels.selector(NAME, tenant.name()))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withSecurityContext(Containers.nonRootPod())
        .addNewContainer()
        .withName("webhook")
        .withImage(tenant.images().controller())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(Containers.driverJavaWithoutClassArchive())
        .withArgs(args)
        .addNewPort()
        .withName("https")
        .withContainerPort(PORT)
        .withProtocol("TCP")
        .endPort()
        .withStartupProbe(Containers.startup(Containers.healthz("https", "HTTPS")))
        .withReadinessProbe(Containers.readiness(Containers.healthz("https", "HTTPS")))
        .withLivenessProbe(Containers.liveness(Containers.healthz("https", "HTTPS")))
        .withVolumeMounts(mounts)
        .withResources(Containers.requests("20m", Containers.DRIVER_MEMORY))
        .withSecurityContext(Containers.restricted())
        .endContainer()
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The webhook's serving secret holding a certificate the Pulumi layer generated ({@code tls.crt},
   * {@code tls.key} and {@code ca.crt}, which push mode hands to the tenant clusters). The CA,
   * which is public, is also its {@link #CA_BUNDLE_ANNOTATION}, readable without reading the
   * secret's data.
   */
  public static Manifest tlsSecret(
      TenantStorageSpec tenant, String certificatePem, String keyPem, String caPem) {
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("tls.crt", b64.encodeToString(certificatePem.getBytes(UTF_8)));
    data.put("tls.key", b64.encodeToString(keyPem.getBytes(UTF_8)));
    data.put("ca.crt", b64.encodeToString(caPem.getBytes(UTF_8)));
    return Manifest.under(
        new SecretBuilder()
            .withNewMetadata()
            .withName(tenant.webhook().tlsSecretName())
            .withNamespace(tenant.namespace())
            .withLabels(Labels.of(NAME, tenant.name(), "quota-webhook"))
            .withAnnotations(Map.of(CA_BUNDLE_ANNOTATION, data.get("ca.crt")))
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(data)
            .build());
  }

  /** The common name of the tenant's webhook certificate. */
  public static String certificateName(TenantStorageSpec tenant) {
    return NAME + "." + tenant.namespace();
  }

  /** The names the tenant's serving certificate carries: its Service's, and its URL's host. */
  public static List<String> certificateHosts(TenantStorageSpec tenant) {
    String service = NAME;
    String namespace = tenant.namespace();
    String url = tenant.webhook().url();
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add(service);
    hosts.add(service + "." + namespace);
    hosts.add(service + "." + namespace + ".svc");
    hosts.add(service + "." + namespace + ".svc.cluster.local");
    if (url != null && URI.create(url).getHost() != null) hosts.add(URI.create(url).getHost());
    return List.copyOf(hosts);
  }

  /**
   * Push mode's additions to the webhook's pod: the configurations to push and each tenant
   * cluster's kubeconfig to push them with.
   */
  private static void pushMode(
      TenantStorageSpec tenant, List<String> args, List<VolumeMount> mounts, List<Volume> volumes) {
    args.add(flag(DriverFlags.Webhook.PUSH_CONFIGURATIONS, CONFIGURATIONS_DIR));
    args.add(flag(DriverFlags.Webhook.TENANT_KUBECONFIGS, TENANTS_DIR));
    mounts.add(Containers.readOnly("configurations", CONFIGURATIONS_DIR));
    volumes.add(
        new VolumeBuilder()
            .withName("configurations")
            .withNewConfigMap()
            .withName(CONFIGURATIONS)
            .endConfigMap()
            .build());
    for (TenantClusterSpec cluster : tenant.clusters()) {
      String volume = "kubeconfig-" + cluster.name();
      mounts.add(Containers.readOnly(volume, TENANTS_DIR + "/" + cluster.name()));
      volumes.add(
          Containers.kubeconfig(
              volume,
              TenantCredentialsRenderer.secretFor(
                  tenant, cluster, TenantCredentialsRenderer.PUSHER),
              "kubeconfig"));
    }
  }

  /**
   * The URL a tenant API server calls: the cluster's name is the last path segment, so the webhook
   * can count claims per tenant cluster (API servers refuse query parameters in webhook URLs).
   */
  static String url(TenantStorageSpec tenant, TenantClusterSpec cluster) {
    String base =
        tenant.webhook().url() != null
            ? tenant.webhook().url()
            : "https://" + NAME + "." + tenant.namespace() + ".svc" + PATH;
    return (base.endsWith("/") ? base : base + "/") + cluster.name();
  }

  /**
   * The tenant cluster's ValidatingWebhookConfiguration; nothing when the webhook is disabled or
   * applies the configurations itself (push mode).
   */
  public static List<Manifest> renderTenant(TenantStorageSpec tenant, TenantClusterSpec cluster) {
    WebhookSpec w = tenant.webhook();
    if (!w.enabled() || w.pushConfiguration()) return List.of();
    return List.of(
        new Manifest(
            Target.tenant(tenant.namespace(), cluster.name()),
            configuration(tenant, cluster),
            Ownership.OWNED));
  }

  private static ValidatingWebhookConfiguration configuration(
      TenantStorageSpec tenant, TenantClusterSpec cluster) {
    WebhookSpec w = tenant.webhook();
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(CONFIGURATION)
        .withLabels(Labels.of(NAME, cluster.name(), "quota-webhook"))
        .endMetadata()
        .addNewWebhook()
        .withName(WEBHOOK)
        .withAdmissionReviewVersions("v1")
        .withSideEffects("None")
        .withFailurePolicy(w.failurePolicy())
        .withMatchPolicy("Equivalent")
        .withTimeoutSeconds(w.timeoutSeconds())
        .withNewClientConfig()
        .withUrl(url(tenant, cluster))
        .withCaBundle(w.caBundle())
        .endClientConfig()
        .addNewRule()
        .withApiGroups("")
        .withApiVersions("v1")
        // DELETE lets the webhook release a claim admitted but deleted before provisioning
        .withOperations("CREATE", "UPDATE", "DELETE")
        .withResources("persistentvolumeclaims")
        .withScope("Namespaced")
        .endRule()
        .addAllToRules(snapshotRules(tenant))
        .withNamespaceSelector(selector(w.namespaceSelector()))
        .endWebhook()
        .build();
  }

  /**
   * Whether the webhook counts the tenant's snapshots against {@code maxSnapshots}: when the tenant
   * clusters have snapshot classes of the driver.
   */
  static boolean checksSnapshots(TenantStorageSpec tenant) {
    return !tenant.snapshotClasses().isEmpty();
  }

  /** VolumeSnapshot CREATE (counted) and DELETE (releases one admitted but not yet taken). */
  private static List<RuleWithOperations> snapshotRules(TenantStorageSpec tenant) {
    if (!checksSnapshots(tenant)) return List.of();
    return List.of(
        new RuleWithOperationsBuilder()
            .withApiGroups("snapshot.storage.k8s.io")
            .withApiVersions("v1")
            .withOperations("CREATE", "DELETE")
            .withResources("volumesnapshots")
            .withScope("Namespaced")
            .build());
  }

  /** The webhook's namespaceSelector; none (every namespace) when the spec names none. */
  private static LabelSelector selector(LabelSelectorSpec s) {
    if (s == null) return null;
    return new LabelSelector(
        s.matchExpressions().stream()
            .map(r -> new LabelSelectorRequirement(r.key(), r.operator(), r.values()))
            .toList(),
        s.matchLabels().isEmpty() ? null : s.matchLabels());
  }
}

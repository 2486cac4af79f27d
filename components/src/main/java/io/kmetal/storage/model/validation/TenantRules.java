package io.kmetal.storage.model.validation;

import io.kmetal.storage.model.Images;
import io.kmetal.storage.model.LabelSelectorSpec;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantSnapshotClassSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.WebhookSpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for one {@link TenantStorageSpec} on its own. */
final class TenantRules {
  /** The buses KubeVirt hot-plugs a disk on (its admission refuses others, sata included). */
  static final List<String> BUSES = List.of("scsi", "virtio");

  static final List<String> CREDENTIALS =
      List.of(TenantStorageSpec.GENERATED_CREDENTIALS, TenantStorageSpec.GIVEN_CREDENTIALS);

  static final List<String> FAILURE_POLICIES = List.of("Ignore", "Fail");
  static final List<String> SELECTOR_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  /** Longest cluster name that keeps {@code kubevirt-csi-controller-<cluster>} a DNS label. */
  static final int MAX_CLUSTER_NAME = 63 - "kubevirt-csi-controller-".length();

  private TenantRules() {}

  /** The most a count cap may be: far beyond what one namespace of an under cluster should hold. */
  static final int MAX_COUNT = 100_000;

  static void check(Problems p, TenantStorageSpec t) {
    Names.label(p, "name", t.name());
    Names.label(p, "namespace", t.namespace());
    Quantities.positiveStorage(p, "storageQuota", t.storageQuota());
    Names.subdomain(p, "infraStorageClassName", t.infraStorageClassName());
    Names.subdomain(p, "tenantStorageClassName", t.tenantStorageClassName());
    if (t.bus() != null && !BUSES.contains(t.bus()))
      p.add(
          "bus",
          "\""
              + t.bus()
              + "\" is not allowed: KubeVirt hot-plugs disks only on scsi or virtio; use one of "
              + String.join(", ", BUSES));
    p.oneOf("tenantCredentials", t.tenantCredentials(), CREDENTIALS);
    if (t.controllerReplicas() < 1) p.add("controllerReplicas", "must be at least 1");
    count(p, "maxVolumes", t.maxVolumes());
    count(p, "maxSnapshots", t.maxSnapshots());
    if (t.clusters().isEmpty()) p.add("clusters", "must list at least one tenant cluster");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < t.clusters().size(); i++) {
      cluster(p.at("clusters", i), t.clusters().get(i), names);
    }
    if (!t.snapshots() && !t.snapshotClasses().isEmpty())
      p.add(
          "snapshotClasses",
          "must be empty when snapshots is false: the controller then takes no snapshot; drop the"
              + " list or set snapshots: true");
    Set<String> snapshotClasses = new HashSet<>();
    for (int i = 0; i < t.snapshotClasses().size(); i++) {
      Problems sc = p.at("snapshotClasses", i);
      TenantSnapshotClassSpec c = t.snapshotClasses().get(i);
      if (c == null) {
        sc.here("is empty; give name and infraSnapshotClassName");
        continue;
      }
      if (Names.subdomain(sc, "name", c.name()) && !snapshotClasses.add(c.name()))
        sc.add("name", "\"" + c.name() + "\" is listed twice in this tenant");
      Names.subdomain(sc, "infraSnapshotClassName", c.infraSnapshotClassName());
    }
    images(p.at("images"), t.images());
    webhook(p.at("webhook"), t.webhook());
    HppRules.kubevirt(p.at("kubevirt"), t.kubevirt());
  }

  private static void cluster(Problems p, TenantClusterSpec c, Set<String> seen) {
    if (c == null) {
      p.here("is empty; give at least the cluster name");
      return;
    }
    boolean validName = Names.label(p, "name", c.name());
    if (validName) {
      if (c.name().length() > MAX_CLUSTER_NAME) {
        p.add(
            "name",
            "\""
                + c.name()
                + "\" is too long: at most "
                + MAX_CLUSTER_NAME
                + " characters so that kubevirt-csi-controller-<name> stays a valid name");
      }
      if (!seen.add(c.name())) p.add("name", "\"" + c.name() + "\" is listed twice in this tenant");
    }
    if (validName) Names.subdomain(p, "kubeconfigSecret.name", c.kubeconfigSecret().name());
    Names.secretKey(p, "kubeconfigSecret.key", c.kubeconfigSecret().key());
    c.labels()
        .forEach(
            (k, v) -> {
              Names.labelKey(p, "labels", k);
              Names.labelValue(p, "labels." + k, v);
            });
  }

  private static void images(Problems p, Images images) {
    image(p, "controller", images.controller());
    image(p, "node", images.node());
    image(p, "csiProvisioner", images.csiProvisioner());
    image(p, "csiAttacher", images.csiAttacher());
    image(p, "csiResizer", images.csiResizer());
    image(p, "csiSnapshotter", images.csiSnapshotter());
    image(p, "livenessProbe", images.livenessProbe());
    image(p, "nodeDriverRegistrar", images.nodeDriverRegistrar());
  }

  private static void image(Problems p, String field, String ref) {
    if (!p.required(field, ref)) return;
    String last = ref.substring(ref.lastIndexOf('/') + 1);
    boolean pinned = ref.contains("@sha256:") || (last.contains(":") && !last.endsWith(":latest"));
    if (!pinned) {
      p.add(field, "\"" + ref + "\" is not pinned: give a release tag or a digest, never :latest");
    }
  }

  /** A label selector as the API server would accept it in a webhook's namespaceSelector. */
  private static void selector(Problems p, LabelSelectorSpec s) {
    s.matchLabels()
        .forEach(
            (key, value) -> {
              Names.labelKey(p, "matchLabels", key);
              Names.labelValue(p, "matchLabels." + key, value);
            });
    for (int i = 0; i < s.matchExpressions().size(); i++) {
      Problems e = p.at("matchExpressions", i);
      LabelSelectorSpec.LabelSelectorRequirement r = s.matchExpressions().get(i);
      if (r == null) {
        e.here("is empty: give key and operator");
        continue;
      }
      if (e.required("key", r.key())) Names.labelKey(e, "key", r.key());
      if (!e.required("operator", r.operator())) continue;
      e.oneOf("operator", r.operator(), SELECTOR_OPERATORS);
      boolean set = r.operator().equals("In") || r.operator().equals("NotIn");
      if (set && r.values().isEmpty())
        e.add("values", "must name at least one value for " + r.operator());
      if (!set && SELECTOR_OPERATORS.contains(r.operator()) && !r.values().isEmpty())
        e.add("values", "must be empty for " + r.operator());
      for (int v = 0; v < r.values().size(); v++)
        Names.labelValue(e, "values[" + v + "]", r.values().get(v));
    }
  }

  static final List<String> ISSUER_KINDS = List.of("Issuer", "ClusterIssuer");

  /** cert-manager issues the certificate; its CA reaches the tenants through push mode. */
  private static void certManager(Problems p, WebhookSpec w) {
    var issuer = w.certificate().certManager().issuerRef();
    if (issuer == null) {
      p.add("issuerRef", "is required: the cert-manager Issuer or ClusterIssuer that signs it");
    } else {
      Names.subdomain(p.at("issuerRef"), "name", issuer.name());
      p.at("issuerRef").oneOf("kind", issuer.kind(), ISSUER_KINDS);
      Names.subdomain(p.at("issuerRef"), "group", issuer.group());
    }
    if (w.caBundle() != null)
      p.here(
          "is not used with caBundle: the CA comes from the secret cert-manager writes; remove"
              + " caBundle");
    if (Boolean.TRUE.equals(w.generateCertificate()))
      p.here("is not used with generateCertificate: true; choose one of the two");
    if (!w.pushConfiguration())
      p.here(
          "needs pushConfiguration (its default here): only the webhook can deliver cert-manager's"
              + " CA, and each renewal's, to the tenant clusters");
  }

  private static void webhook(Problems p, WebhookSpec w) {
    if (w.replicas() < 1) p.add("replicas", "must be at least 1");
    p.oneOf("failurePolicy", w.failurePolicy(), FAILURE_POLICIES);
    if (w.timeoutSeconds() < 1 || w.timeoutSeconds() > 30) {
      p.add("timeoutSeconds", "must be between 1 and 30 (the API server's limit)");
    }
    if (w.url() != null && !w.url().startsWith("https://")) {
      p.add(
          "url",
          "\"" + w.url() + "\" must be an https:// URL: the API server only calls TLS webhooks");
    } else if (w.url() != null && (w.url().contains("?") || w.url().contains("#"))) {
      p.add(
          "url",
          "\""
              + w.url()
              + "\" must not have a query or fragment: API servers refuse them in webhook URLs");
    }
    Names.subdomain(p, "tlsSecretName", w.tlsSecretName());
    if (w.namespaceSelector() != null) selector(p.at("namespaceSelector"), w.namespaceSelector());
    if (w.usesCertManager()) {
      certManager(p.at("certificate.certManager"), w);
    } else if (w.caBundle() != null && w.generatesCertificate()) {
      p.add(
          "caBundle",
          "is not used with generateCertificate: the CA comes from the generated certificate;"
              + " remove caBundle, or set generateCertificate: false and bring the secret"
              + " (tlsSecretName)");
    } else if (w.enabled()
        && w.caBundle() == null
        && !w.generatesCertificate()
        && !w.pushConfiguration()) {
      p.add(
          "caBundle",
          "is required when generateCertificate is false: tenant API servers verify the webhook"
              + " with it (base64 of the CA that signed tlsSecretName's certificate)");
    } else if (w.caBundle() != null && w.pushConfiguration()) {
      p.add(
          "caBundle",
          "is not used with pushConfiguration: the webhook pushes the ca.crt of its serving"
              + " secret (tlsSecretName); remove caBundle or set pushConfiguration: false");
    } else if (w.caBundle() != null) {
      try {
        String pem =
            new String(
                Base64.getDecoder().decode(w.caBundle().strip()),
                java.nio.charset.StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
          p.add("caBundle", "must be base64 of a PEM certificate (it decodes to something else)");
        }
      } catch (IllegalArgumentException e) {
        p.add("caBundle", "is not base64: encode the CA's PEM with base64 -w0");
      }
    }
  }

  private static void count(Problems p, String field, int value) {
    if (value < 1 || value > MAX_COUNT)
      p.add(
          field,
          value
              + " is out of range: give 1 to "
              + MAX_COUNT
              + " (a cap on the tenant's objects in the under cluster)");
  }
}

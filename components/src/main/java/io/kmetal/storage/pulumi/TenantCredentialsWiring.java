package io.kmetal.storage.pulumi;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.render.ControllerRenderer;
import io.kmetal.storage.render.Labels;
import io.kmetal.storage.render.Manifest;
import io.kmetal.storage.render.TenantCredentialsRenderer;
import io.kmetal.storage.render.TenantCredentialsRenderer.Identity;
import io.kmetal.storage.render.WebhookRenderer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The under-cluster kubeconfig Secrets of the tenant clusters' least-privilege identities (see
 * {@link TenantCredentialsRenderer}): each is built, as a Pulumi secret, from the server and CA of
 * the cluster's admin kubeconfig Secret (read at deploy time, never mounted) and the token the
 * tenant cluster issued into the identity's token Secret, which pulumi-kubernetes awaits ({@code
 * pulumi.com/waitFor}). The Deployments that mount them wait for them.
 */
public final class TenantCredentialsWiring implements Wiring {
  static final String TOKEN_ISSUED = "jsonpath={.data.token}";

  /** A generated kubeconfig: for whom, and the token Secret it takes the token from. */
  private record Kubeconfig(
      TenantStorageSpec tenant, TenantClusterSpec cluster, Identity identity, String tokenSecret) {}

  private final Resource parent;
  private final Map<String, Kubeconfig> byLogicalName;
  private final Map<String, LiveObject> adminSecrets = new HashMap<>();

  private TenantCredentialsWiring(Resource parent, Map<String, Kubeconfig> byLogicalName) {
    this.parent = parent;
    this.byLogicalName = Map.copyOf(byLogicalName);
  }

  /**
   * Adds to {@code manifests} the kubeconfig Secret of every identity of {@code tenants} that
   * generate their credentials, and wires them.
   */
  public static Wiring issue(
      Resource parent, List<TenantStorageSpec> tenants, List<Manifest> manifests) {
    Map<String, Kubeconfig> byLogicalName = new LinkedHashMap<>();
    for (TenantStorageSpec tenant : tenants)
      for (TenantClusterSpec cluster : tenant.clusters())
        for (Identity identity : TenantCredentialsRenderer.identities(tenant)) {
          Manifest secret = kubeconfigSecret(tenant, cluster, identity);
          manifests.add(secret);
          byLogicalName.put(
              ManifestResources.logicalName(secret),
              new Kubeconfig(
                  tenant,
                  cluster,
                  identity,
                  tenant.namespace()
                      + "/"
                      + cluster.name()
                      + "/kube-system/"
                      + TenantCredentialsRenderer.tokenSecretName(identity)));
        }
    return byLogicalName.isEmpty()
        ? Wiring.NONE
        : new TenantCredentialsWiring(parent, byLogicalName);
  }

  private static Manifest kubeconfigSecret(
      TenantStorageSpec tenant, TenantClusterSpec cluster, Identity identity) {
    return Manifest.under(
        new SecretBuilder()
            .withNewMetadata()
            .withName(TenantCredentialsRenderer.kubeconfigSecretName(cluster, identity))
            .withNamespace(tenant.namespace())
            .withLabels(Labels.of(identity.name(), cluster.name(), "tenant-kubeconfig"))
            .endMetadata()
            .withType("Opaque")
            // filled from the token at deploy time (see inputs)
            .withData(Map.of(TenantCredentialsRenderer.KUBECONFIG_KEY, ""))
            .build());
  }

  private boolean isTokenSecret(Manifest m) {
    return m.kind().equals("Secret")
        && byLogicalName.values().stream()
            .anyMatch(k -> k.tokenSecret().equals(ManifestResources.logicalName(m)));
  }

  /**
   * The identity's ServiceAccount: its token Secret is created after it, or the token controller
   * deletes it.
   */
  private String accountOf(String tokenSecret) {
    return tokenSecret.substring(0, tokenSecret.length() - "-token".length());
  }

  private boolean isAccount(Manifest m) {
    return m.kind().equals("ServiceAccount")
        && byLogicalName.values().stream()
            .anyMatch(k -> accountOf(k.tokenSecret()).equals(ManifestResources.logicalName(m)));
  }

  @Override
  public boolean first(Manifest m) {
    return isAccount(m)
        || isTokenSecret(m)
        || byLogicalName.containsKey(ManifestResources.logicalName(m));
  }

  @Override
  public Map<String, Output<Object>> inputs(Manifest m, Map<String, KubernetesObject> registered) {
    if (isTokenSecret(m))
      return Map.of(
          "metadata",
          KubernetesObject.metadataAnnotated(m, Map.of(HppAvailableWiring.WAIT_FOR, TOKEN_ISSUED)));
    Kubeconfig k = byLogicalName.get(ManifestResources.logicalName(m));
    if (k == null) return Map.of();
    var ref = k.cluster().kubeconfigSecret();
    LiveObject admin = adminSecret(k.tenant().namespace(), ref.name());
    Output<Object> data =
        Output.tuple(admin.data(), registered.get(k.tokenSecret()).data())
            .applyValue(
                t -> {
                  String adminConfig = t.t1 == null ? null : t.t1.get(ref.key());
                  if (adminConfig == null)
                    throw new IllegalStateException(
                        "secret "
                            + k.tenant().namespace()
                            + "/"
                            + ref.name()
                            + " has no key "
                            + ref.key()
                            + ": clusters[name="
                            + k.cluster().name()
                            + "].kubeconfigSecret must name the cluster's admin kubeconfig");
                  return (Object)
                      Map.of(
                          TenantCredentialsRenderer.KUBECONFIG_KEY,
                          encode(
                              TenantKubeconfig.build(
                                  k.cluster().name(),
                                  k.identity().name(),
                                  decode(adminConfig),
                                  t.t2)));
                })
            .asSecret();
    return Map.of("data", data);
  }

  /** One read of each admin kubeconfig Secret, whoever needs it. */
  private LiveObject adminSecret(String namespace, String name) {
    return adminSecrets.computeIfAbsent(
        namespace + "/" + name,
        id ->
            new LiveObject(
                "kubernetes:core/v1:Secret",
                "under/" + id + "/read",
                id,
                CustomResourceOptions.builder().parent(parent)));
  }

  @Override
  public List<String> dependsOn(Manifest m, List<Manifest> all) {
    if (isTokenSecret(m)) return List.of(accountOf(ManifestResources.logicalName(m)));
    if (!m.kind().equals("Deployment") || !m.target().isUnder()) return List.of();
    List<String> secrets = new ArrayList<>();
    byLogicalName.forEach(
        (name, k) -> {
          if (!k.tenant().namespace().equals(m.namespace())) return;
          boolean controller =
              k.identity() == TenantCredentialsRenderer.CONTROLLER
                  && m.name().equals(ControllerRenderer.deploymentName(k.cluster().name()));
          boolean pusher =
              k.identity() == TenantCredentialsRenderer.PUSHER
                  && m.name().equals(WebhookRenderer.NAME);
          if (controller || pusher) secrets.add(name);
        });
    return secrets;
  }

  private static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}

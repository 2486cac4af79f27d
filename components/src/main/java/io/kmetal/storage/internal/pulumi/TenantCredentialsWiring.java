package io.kmetal.storage.internal.pulumi;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.kmetal.storage.internal.render.ControllerRenderer;
import io.kmetal.storage.internal.render.Labels;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.internal.render.TenantCredentialsRenderer;
import io.kmetal.storage.internal.render.TenantCredentialsRenderer.Identity;
import io.kmetal.storage.internal.render.WebhookRenderer;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
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

  /**
   * A generated kubeconfig: for whom, and the logical names of the identity's rendered
   * ServiceAccount and of the token Secret the token comes from.
   */
  private record Kubeconfig(
      TenantStorageSpec tenant,
      TenantClusterSpec cluster,
      Identity identity,
      String account,
      String tokenSecret) {}

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
          Target target = Target.tenant(tenant.namespace(), cluster.name());
          String account = rendered(manifests, target, "ServiceAccount", identity.name());
          String token =
              rendered(
                  manifests, target, "Secret", TenantCredentialsRenderer.tokenSecretName(identity));
          Manifest secret = kubeconfigSecret(tenant, cluster, identity);
          manifests.add(secret);
          byLogicalName.put(
              ManifestResources.logicalName(secret),
              new Kubeconfig(tenant, cluster, identity, account, token));
        }
    return byLogicalName.isEmpty()
        ? Wiring.NONE
        : new TenantCredentialsWiring(parent, byLogicalName);
  }

  /** The logical name of the rendered {@code kind/name} in {@code target}. */
  private static String rendered(
      List<Manifest> manifests, Target target, String kind, String name) {
    return manifests.stream()
        .filter(m -> m.target().equals(target) && m.kind().equals(kind) && m.name().equals(name))
        .map(ManifestResources::logicalName)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(kind + " " + name + " is not rendered"));
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
    return byLogicalName.values().stream()
        .anyMatch(k -> k.tokenSecret().equals(ManifestResources.logicalName(m)));
  }

  /**
   * The identity's ServiceAccount: created before its token Secret, or the token controller deletes
   * the Secret.
   */
  private boolean isAccount(Manifest m) {
    return byLogicalName.values().stream()
        .anyMatch(k -> k.account().equals(ManifestResources.logicalName(m)));
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
          KubernetesObject.metadataAnnotated(m, Map.of(KubernetesObject.WAIT_FOR, TOKEN_ISSUED)));
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
    String logical = ManifestResources.logicalName(m);
    for (Kubeconfig k : byLogicalName.values())
      if (k.tokenSecret().equals(logical)) return List.of(k.account());
    if (!m.kind().equals("Deployment") || !m.target().isUnder()) return List.of();
    List<String> secrets = new ArrayList<>();
    byLogicalName.forEach(
        (name, k) -> {
          if (!k.tenant().namespace().equals(m.namespace())) return;
          boolean controller =
              k.identity().name().equals(TenantCredentialsRenderer.CONTROLLER.name())
                  && m.name().equals(ControllerRenderer.deploymentName(k.cluster().name()));
          boolean pusher =
              k.identity().name().equals(TenantCredentialsRenderer.PUSHER.name())
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

package io.kmetal.storage;

import com.pulumi.test.Mocks.ResourceArgs;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What tenant clusters answer Pulumi's mocks in place of a real one: a token in every
 * service-account token Secret (as the token controller fills it), and a Kamaji admin kubeconfig in
 * the Secrets read from the under cluster.
 */
public final class TenantClusters {
  public static final String TOKEN = "t0ken-of-the-identity";
  public static final String SERVER = "https://alpha-prod.alpha.svc:6443";

  private TenantClusters() {}

  /** The state of a created resource: its inputs, and a token if it is a token Secret. */
  public static Map<String, Object> created(ResourceArgs args) {
    if (!"kubernetes.io/service-account-token".equals(args.inputs.get("type"))) return args.inputs;
    Map<String, Object> state = new LinkedHashMap<>(args.inputs);
    state.put("data", Map.of("token", b64(TOKEN), "ca.crt", b64("CA")));
    return state;
  }

  /** A read Secret: an admin kubeconfig under Kamaji's key. */
  public static Map<String, Object> adminSecret() {
    String kubeconfig =
        "apiVersion: v1\nkind: Config\ncurrent-context: admin\n"
            + "clusters: [{name: tenant, cluster: {server: '"
            + SERVER
            + "', certificate-authority-data: Q0E=}}]\n"
            + "contexts: [{name: admin, context: {cluster: tenant, user: admin}}]\n"
            + "users: [{name: admin, user: {client-key-data: c2VjcmV0}}]\n";
    return Map.of("data", Map.of("admin.conf", b64(kubeconfig)));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

package io.kmetal.storage.internal.pulumi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant cluster's kubeconfig for one of its least-privilege identities: the server and CA of the
 * cluster's admin kubeconfig (where the under cluster's pods reach its API), with the identity's
 * service-account token as the only credential.
 */
final class TenantKubeconfig {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2)
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }

  private TenantKubeconfig() {}

  /**
   * @param admin the admin kubeconfig (YAML), read for its current context's cluster only
   * @param token the identity's token Secret's {@code data} (base64 {@code token}, {@code ca.crt})
   * @throws IllegalStateException naming what is missing, never a credential
   */
  static String build(String cluster, String identity, String admin, Map<String, String> token) {
    JsonNode config;
    try {
      config = YAML.readTree(admin);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the admin kubeconfig of tenant cluster " + cluster + " is not YAML");
    }
    String context = config.path("current-context").asText();
    String clusterRef = null;
    for (JsonNode c : config.path("contexts"))
      if (c.path("name").asText().equals(context))
        clusterRef = c.path("context").path("cluster").asText();
    JsonNode server = null;
    for (JsonNode c : config.path("clusters"))
      if (clusterRef == null || c.path("name").asText().equals(clusterRef)) {
        server = c.path("cluster");
        break;
      }
    if (server == null || server.path("server").asText().isEmpty())
      throw new IllegalStateException(
          "the admin kubeconfig of tenant cluster " + cluster + " names no server");
    if (token == null || token.get("token") == null)
      throw new IllegalStateException(
          "tenant cluster "
              + cluster
              + " has not issued a token for "
              + identity
              + " (its token controller fills kube-system/"
              + identity
              + "-token)");
    String ca =
        server.hasNonNull("certificate-authority-data")
            ? server.get("certificate-authority-data").asText()
            : token.get("ca.crt");
    String bearer =
        new String(Base64.getDecoder().decode(token.get("token")), StandardCharsets.UTF_8);
    // ordered, so that the same token and server give the same bytes on every run
    Map<String, Object> clusterEntry = ordered("server", server.get("server").asText());
    clusterEntry.put("certificate-authority-data", ca);
    Map<String, Object> kubeconfig = ordered("apiVersion", "v1");
    kubeconfig.put("kind", "Config");
    kubeconfig.put("clusters", List.of(ordered("name", cluster, "cluster", clusterEntry)));
    kubeconfig.put("users", List.of(ordered("name", identity, "user", ordered("token", bearer))));
    kubeconfig.put(
        "contexts",
        List.of(
            ordered("name", identity, "context", ordered("cluster", cluster, "user", identity))));
    kubeconfig.put("current-context", identity);
    try {
      return YAML.writeValueAsString(kubeconfig);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a kubeconfig", e);
    }
  }
}

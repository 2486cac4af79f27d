package io.kmetal.storage.internal.pulumi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantKubeconfigTest {
  private static final String ADMIN =
      """
      apiVersion: v1
      kind: Config
      current-context: admin@alpha-prod
      clusters:
        - name: other
          cluster: {server: 'https://elsewhere:6443'}
        - name: alpha-prod
          cluster: {server: 'https://alpha-prod.alpha.svc:6443', certificate-authority-data: QURNSU4tQ0E=}
      contexts:
        - name: admin@alpha-prod
          context: {cluster: alpha-prod, user: admin}
      users:
        - name: admin
          user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}
      """;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theCurrentContextsServerAndCaWithTheIdentitysTokenAndNothingOfTheAdmin() throws Exception {
    String built =
        TenantKubeconfig.build(
            "alpha-prod",
            "kmetal-csi-controller",
            ADMIN,
            Map.of("token", b64("the-token"), "ca.crt", b64("TOKEN-CA")));
    JsonNode config = new YAMLMapper().readTree(built);
    assertEquals(
        "https://alpha-prod.alpha.svc:6443", config.at("/clusters/0/cluster/server").asText());
    assertEquals(
        "QURNSU4tQ0E=", config.at("/clusters/0/cluster/certificate-authority-data").asText());
    assertEquals("the-token", config.at("/users/0/user/token").asText());
    assertEquals("kmetal-csi-controller", config.path("current-context").asText());
    assertFalse(built.contains("a2V5") || built.contains("Y2VydA=="), "no admin credential");
  }

  @Test
  void withoutACaInTheAdminKubeconfigTheTokenSecretsCaIsUsed() throws Exception {
    String admin =
        "current-context: a\nclusters: [{name: c, cluster: {server: 'https://c:6443'}}]\n"
            + "contexts: [{name: a, context: {cluster: c}}]\n";
    String built =
        TenantKubeconfig.build("c", "x", admin, Map.of("token", b64("t"), "ca.crt", "Q0E="));
    assertEquals(
        "Q0E=",
        new YAMLMapper()
            .readTree(built)
            .at("/clusters/0/cluster/certificate-authority-data")
            .asText());
  }

  @Test
  void aTokenNotYetIssuedIsNamedWithoutShowingAnyCredential() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> TenantKubeconfig.build("alpha-prod", "kmetal-csi-controller", ADMIN, Map.of()));
    assertTrue(e.getMessage().contains("kube-system/kmetal-csi-controller-token"), e.getMessage());
    assertFalse(e.getMessage().contains("a2V5"));
  }

  @Test
  void anAdminKubeconfigWithoutAServerIsRefusedByName() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> TenantKubeconfig.build("c", "x", "kind: Config\n", Map.of("token", b64("t"))));
    assertTrue(e.getMessage().contains("tenant cluster c names no server"), e.getMessage());
  }
}

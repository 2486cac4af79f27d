package io.kmetal.csi.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** A cluster client from a kubeconfig file, or the pod's service account when there is none. */
public final class KubeClients {
  private KubeClients() {}

  public static KubernetesClient client(Path kubeconfig) throws IOException {
    Config config =
        kubeconfig == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(Files.readString(kubeconfig));
    if (isEcKey(config.getClientKeyData())) config.setClientKeyAlgo("EC");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Whether base64 {@code client-key-data} holds an EC key. fabric8 assumes RSA for a PKCS#8 key
   * ({@code BEGIN PRIVATE KEY}), which names no algorithm in its header.
   */
  static boolean isEcKey(String keyData) {
    if (keyData == null || keyData.isBlank()) return false;
    String pem = new String(Base64.getDecoder().decode(keyData.strip()), StandardCharsets.US_ASCII);
    if (pem.contains("BEGIN EC PRIVATE KEY")) return true;
    if (!pem.contains("BEGIN PRIVATE KEY")) return false;
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}

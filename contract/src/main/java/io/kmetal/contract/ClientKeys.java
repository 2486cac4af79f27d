package io.kmetal.contract;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The algorithm of a kubeconfig's {@code client-key-data}. A PKCS#8 key ({@code BEGIN PRIVATE KEY})
 * names none in its header, and fabric8 then assumes RSA: every client built from a kubeconfig asks
 * here first (the driver, the CLI, the test bed).
 */
public final class ClientKeys {
  private ClientKeys() {}

  /** Whether base64 {@code keyData} holds an EC key (SEC1 or PKCS#8). */
  public static boolean isEc(String keyData) {
    if (keyData == null || keyData.isBlank()) return false;
    String pem = new String(Base64.getDecoder().decode(keyData.strip()), StandardCharsets.US_ASCII);
    if (pem.contains("BEGIN EC PRIVATE KEY")) return true;
    if (!pem.contains("BEGIN PRIVATE KEY")) return false;
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

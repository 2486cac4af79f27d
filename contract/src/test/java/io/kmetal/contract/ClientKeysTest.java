package io.kmetal.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Telling a PKCS#8 EC key from an RSA one, as client-key-data holds them. */
class ClientKeysTest {
  private static String keyData(String algorithm, int bits) throws Exception {
    var generator = KeyPairGenerator.getInstance(algorithm);
    generator.initialize(bits);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aPkcs8EcKeyIsEcAndAnRsaKeyIsNot() throws Exception {
    assertTrue(ClientKeys.isEc(keyData("EC", 256)));
    assertFalse(ClientKeys.isEc(keyData("RSA", 2048)));
  }

  @Test
  void anSec1HeaderIsEcAndNoKeyIsNot() {
    String sec1 = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
    assertTrue(
        ClientKeys.isEc(
            Base64.getEncoder().encodeToString(sec1.getBytes(StandardCharsets.US_ASCII))));
    assertFalse(ClientKeys.isEc(null));
    assertFalse(ClientKeys.isEc(" "));
  }
}

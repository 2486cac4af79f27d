package io.kmetal.csi.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.internal.pulumi.WebhookCertificate;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PEM as a kubeconfig or a TLS secret holds it, read with the JDK for certificates. */
class PemFilesTest {
  private static final WebhookCertificate ISSUED =
      WebhookCertificate.issue("pem-test", List.of("127.0.0.1"), Instant.now());

  @Test
  void aChainIsReadInOrderWithTheTextOpensslWritesAroundIt() throws IOException {
    String chain =
        "subject=CN = pem-test\n" + ISSUED.certificatePem() + "\n# the issuer\n" + ISSUED.caPem();

    var certificates = PemFiles.certificates(chain, "chain");

    assertEquals(2, certificates.size());
    assertEquals(
        certificates.get(0).getIssuerX500Principal(),
        certificates.get(1).getSubjectX500Principal());
  }

  @Test
  void textWithoutACertificateIsRefusedNamingWhatWasRead() {
    var e =
        assertThrows(
            IOException.class, () -> PemFiles.certificates(ISSUED.keyPem(), "ca.crt of tenant-a"));
    assertEquals("ca.crt of tenant-a holds no PEM certificate", e.getMessage());
  }

  @Test
  void aDamagedCertificateIsRefusedNamingWhatWasRead() {
    String damaged = ISSUED.caPem().replaceFirst("(?m)^[A-Za-z0-9+/]{20}", "!!!!");
    var e = assertThrows(IOException.class, () -> PemFiles.certificates(damaged, "ca.crt"));
    assertTrue(e.getMessage().startsWith("ca.crt: "), e.getMessage());
  }

  @Test
  void theIssuedKeyIsReadBackForItsCertificate() throws IOException {
    var key = PemFiles.privateKey(ISSUED.keyPem(), "key");
    var certificate = PemFiles.certificates(ISSUED.certificatePem(), "cert").get(0);
    assertEquals(certificate.getPublicKey().getAlgorithm(), key.getAlgorithm());
  }
}

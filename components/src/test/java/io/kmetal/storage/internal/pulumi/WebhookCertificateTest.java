package io.kmetal.storage.internal.pulumi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

class WebhookCertificateTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final List<String> HOSTS =
      List.of(
          "kmetal-webhook",
          "kmetal-webhook.alpha",
          "kmetal-webhook.alpha.svc",
          "kmetal-webhook.alpha.svc.cluster.local",
          "127.0.0.1");
  private final WebhookCertificate issued =
      WebhookCertificate.issue("kmetal-webhook.alpha", HOSTS, NOW);

  @Test
  void servingCertificateIsSignedByTheCaAndNamesTheServiceAndTheUrlHost() throws Exception {
    X509Certificate ca = certificate(issued.caPem());
    X509Certificate serving = certificate(issued.certificatePem());
    serving.verify(ca.getPublicKey());
    ca.verify(ca.getPublicKey());
    assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA");
    assertEquals(-1, serving.getBasicConstraints(), "the serving certificate is not");
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), serving.getExtendedKeyUsage());
    assertEquals(
        HOSTS, serving.getSubjectAlternativeNames().stream().map(n -> (String) n.get(1)).toList());
    assertEquals(7, serving.getSubjectAlternativeNames().stream().toList().get(4).get(0), "IP");
  }

  @Test
  void keyIsTheServingCertificatesPkcs8Key() throws Exception {
    assertTrue(issued.keyPem().startsWith("-----BEGIN PRIVATE KEY-----"), issued.keyPem());
    PrivateKey key;
    try (var parser = new PEMParser(new StringReader(issued.keyPem()))) {
      key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
    }
    byte[] message = "admission".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(certificate(issued.certificatePem()).getPublicKey());
    verifier.update(message);
    assertTrue(verifier.verify(signature));
  }

  @Test
  void validFromAnHourAgoForTenYears() throws Exception {
    X509Certificate serving = certificate(issued.certificatePem());
    serving.checkValidity(Date.from(NOW));
    serving.checkValidity(Date.from(NOW.plus(Duration.ofDays(3649))));
    assertEquals(Date.from(NOW.minus(Duration.ofHours(1))), serving.getNotBefore());
  }

  @Test
  void everyIssueIsANewCa() {
    WebhookCertificate again =
        WebhookCertificate.issue("kmetal-webhook.alpha", List.of("kmetal-webhook"), NOW);
    assertNotEquals(issued.caPem(), again.caPem());
  }

  private static X509Certificate certificate(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}

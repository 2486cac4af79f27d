package io.kmetal.storage.internal.pulumi;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A quota webhook's TLS material, made without cert-manager: a CA of its own (its key is thrown
 * away once it signed) and a serving certificate for the webhook's Service names and the host of a
 * custom URL. ECDSA P-256, valid ten years.
 *
 * @param caPem the CA certificate: the tenant API servers' caBundle and the secret's {@code ca.crt}
 * @param certificatePem the serving certificate ({@code tls.crt})
 * @param keyPem the serving key, PKCS#8 ({@code tls.key})
 */
public record WebhookCertificate(String caPem, String certificatePem, String keyPem) {
  static final Duration VALIDITY = Duration.ofDays(3650);
  private static final Pattern IP = Pattern.compile("^[0-9.]+$|^\\[?[0-9a-fA-F:]+\\]?$");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new CA and serving certificate for {@code hosts} (DNS names or IP addresses). */
  public static WebhookCertificate issue(String commonName, List<String> hosts, Instant now) {
    try {
      KeyPair ca = keyPair();
      KeyPair serving = keyPair();
      X500Name caName = new X500Name("CN=" + commonName + " CA");
      var extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder caCert =
          builder(caName, caName, ca, now)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(ca.getPublic()));
      List<GeneralName> names = new ArrayList<>();
      for (String host : hosts) {
        names.add(
            IP.matcher(host).matches()
                ? new GeneralName(GeneralName.iPAddress, host.replaceAll("[\\[\\]]", ""))
                : new GeneralName(GeneralName.dNSName, host));
      }
      X509v3CertificateBuilder servingCert =
          builder(caName, new X500Name("CN=" + commonName), serving, now)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(ca.getPublic()));
      return new WebhookCertificate(
          pem(caCert.build(signer(ca.getPrivate()))),
          pem(servingCert.build(signer(ca.getPrivate()))),
          pem(new JcaPKCS8Generator(serving.getPrivate(), null).generate()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue the webhook certificate: " + e, e);
    }
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair subjectKeys, Instant now) throws CertIOException {
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(127, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(VALIDITY)),
        subject,
        subjectKeys.getPublic());
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key)
      throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}

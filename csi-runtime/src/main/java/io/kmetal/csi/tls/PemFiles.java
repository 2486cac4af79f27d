package io.kmetal.csi.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM as Kubernetes TLS secrets hold it: certificate chains, and private keys in PKCS#8, PKCS#1
 * (RSA) or SEC1 (EC) form.
 */
public final class PemFiles {
  private PemFiles() {}

  /**
   * The certificates of {@code pem}, in order. The JDK reads PEM certificates itself, so a process
   * that only trusts a CA (the node plugin with its service account) never loads BouncyCastle.
   */
  public static List<X509Certificate> certificates(String pem, String what) throws IOException {
    if (!pem.contains("-----BEGIN CERTIFICATE-----"))
      throw new IOException(what + " holds no PEM certificate");
    List<X509Certificate> out = new ArrayList<>();
    try {
      var bytes = new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(bytes))
        out.add((X509Certificate) c);
    } catch (CertificateException e) {
      throw new IOException(what + ": " + e.getMessage(), e);
    }
    return out;
  }

  public static PrivateKey privateKey(String pem, String what) throws IOException {
    var converter = new JcaPEMKeyConverter();
    try (var parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
        if (o instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
      }
    }
    throw new IOException(what + " holds no unencrypted PEM private key");
  }
}

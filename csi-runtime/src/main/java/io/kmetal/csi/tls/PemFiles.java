package io.kmetal.csi.tls;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM as Kubernetes TLS secrets hold it: certificate chains, and private keys in PKCS#8, PKCS#1
 * (RSA) or SEC1 (EC) form.
 */
public final class PemFiles {
  private PemFiles() {}

  public static List<X509Certificate> certificates(String pem, String what) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    var converter = new JcaX509CertificateConverter();
    try (var parser = new PEMParser(new StringReader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject())
        if (o instanceof X509CertificateHolder h) out.add(converter.getCertificate(h));
    } catch (CertificateException e) {
      throw new IOException(what + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) throw new IOException(what + " holds no PEM certificate");
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

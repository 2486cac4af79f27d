package io.kmetal.csi.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serving certificate read from {@code tls.crt}/{@code tls.key} in a directory (a mounted
 * Kubernetes TLS secret) and read again when the files change, at most once a second, so a rotated
 * secret is served from the next handshake on without a restart. A half-written or broken pair is
 * logged and the previous one kept.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);
  private static final String ALIAS = "serving";
  private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final Path cert;
  private final Path key;
  private final Clock clock;
  private volatile Material current;
  private volatile Instant nextCheck;

  private record Material(byte[] certPem, byte[] keyPem, X509Certificate[] chain, PrivateKey key) {}

  /**
   * @throws IOException when the directory holds no usable pair now
   */
  public ReloadingKeyManager(Path dir, Clock clock) throws IOException {
    this.cert = dir.resolve("tls.crt");
    this.key = dir.resolve("tls.key");
    this.clock = clock;
    this.current = read();
    this.nextCheck = clock.instant().plus(CHECK_EVERY);
  }

  /** A TLS server context serving this key manager's certificate. */
  public SSLContext serverContext() throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {this}, null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("TLS: " + e.getMessage(), e);
    }
  }

  /** The certificate served now (the leaf). */
  public X509Certificate leaf() {
    return current.chain()[0];
  }

  private Material read() throws IOException {
    byte[] certPem = Files.readAllBytes(cert);
    byte[] keyPem = Files.readAllBytes(key);
    List<X509Certificate> chain = PemFiles.certificates(new String(certPem), cert.toString());
    PrivateKey privateKey = PemFiles.privateKey(new String(keyPem), key.toString());
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm()))
      throw new IOException(key + " does not belong to the certificate in " + cert);
    return new Material(certPem, keyPem, chain.toArray(X509Certificate[]::new), privateKey);
  }

  /** Reads the files again if they changed; called as a handshake begins, never midway. */
  private void refresh() {
    Instant now = clock.instant();
    if (now.isAfter(nextCheck)) {
      nextCheck = now.plus(CHECK_EVERY);
      Material was = current;
      try {
        if (!Arrays.equals(Files.readAllBytes(cert), was.certPem())
            || !Arrays.equals(Files.readAllBytes(key), was.keyPem())) {
          current = read();
          log.info(
              "serving certificate reloaded: {}, valid until {}",
              current.chain()[0].getSubjectX500Principal(),
              current.chain()[0].getNotAfter().toInstant());
        }
      } catch (IOException | RuntimeException e) {
        log.warn("keeping the previous serving certificate: {}", e.getMessage());
      }
    }
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    refresh();
    return ALIAS;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    refresh();
    return ALIAS;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? current.chain().clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? current.key() : null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {ALIAS};
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[0];
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}

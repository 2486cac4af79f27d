package io.kmetal.storage.testbed.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * A webhook's certificate files as a mounted Kubernetes TLS secret holds them: {@code tls.crt},
 * {@code tls.key} and {@code ca.crt}, each replaced whole, as the kubelet updates a secret volume.
 * The certificate itself is the product's ({@code WebhookCertificate.issue} of the components), so
 * the test bed issues nothing of its own.
 */
public final class WebhookCertificates {
  private final Path dir;

  private WebhookCertificates(Path dir) {
    this.dir = dir;
  }

  /** Writes the PEMs into {@code dir} (replacing what is there). */
  public static WebhookCertificates write(
      Path dir, String caPem, String certificatePem, String keyPem) throws IOException {
    Files.createDirectories(dir);
    Path work = Files.createTempDirectory(dir.getParent(), "certs-");
    Files.writeString(work.resolve("ca.crt"), caPem);
    Files.writeString(work.resolve("tls.crt"), certificatePem);
    Files.writeString(work.resolve("tls.key"), keyPem);
    for (String f : List.of("ca.crt", "tls.key", "tls.crt"))
      Files.move(
          work.resolve(f),
          dir.resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.delete(work);
    return new WebhookCertificates(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Base64 of {@code ca.crt}: a webhook configuration's caBundle. */
  public String caBundle() throws IOException {
    return Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("ca.crt")));
  }
}

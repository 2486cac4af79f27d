package io.kmetal.csi.tls;

import io.kmetal.storage.internal.pulumi.WebhookCertificate;
import io.kmetal.storage.testbed.webhook.WebhookCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A webhook on loopback's serving certificate, issued as {@code pulumi up} issues one. */
public final class LoopbackCertificates {
  private LoopbackCertificates() {}

  /** A fresh CA and certificate for 127.0.0.1 and localhost, written into {@code dir}. */
  public static WebhookCertificates issue(Path dir, String commonName) throws IOException {
    var issued =
        WebhookCertificate.issue(commonName, List.of("127.0.0.1", "localhost"), Instant.now());
    return WebhookCertificates.write(dir, issued.caPem(), issued.certificatePem(), issued.keyPem());
  }
}

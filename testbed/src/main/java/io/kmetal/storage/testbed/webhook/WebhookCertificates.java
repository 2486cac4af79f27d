package io.kmetal.storage.testbed.webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A CA and a serving certificate for a webhook on loopback ({@code IP:127.0.0.1}, {@code
 * DNS:localhost}), written as a mounted Kubernetes TLS secret holds them: {@code tls.crt}, {@code
 * tls.key} (EC, PKCS#8) and {@code ca.crt}. Made with openssl, as the sandbox's own PKI.
 */
public final class WebhookCertificates {
  private final Path dir;

  private WebhookCertificates(Path dir) {
    this.dir = dir;
  }

  /** Issues a fresh CA and serving certificate into {@code dir} (replacing what is there). */
  public static WebhookCertificates issue(Path dir, String commonName) throws IOException {
    Files.createDirectories(dir);
    Path work = Files.createTempDirectory(dir.getParent(), "certs-");
    openssl(work, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.ec");
    openssl(work, "pkcs8", "-topk8", "-nocrypt", "-in", "ca.ec", "-out", "ca.key");
    openssl(
        work,
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-days",
        "30",
        "-subj",
        "/CN=" + commonName + "-ca",
        "-out",
        "ca.crt");
    openssl(work, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "tls.ec");
    openssl(work, "pkcs8", "-topk8", "-nocrypt", "-in", "tls.ec", "-out", "tls.key");
    openssl(
        work, "req", "-new", "-key", "tls.key", "-subj", "/CN=" + commonName, "-out", "tls.csr");
    Files.writeString(
        work.resolve("ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            + "keyUsage=digitalSignature\nbasicConstraints=CA:FALSE\n");
    openssl(
        work,
        "x509",
        "-req",
        "-in",
        "tls.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "30",
        "-extfile",
        "ext",
        "-out",
        "tls.crt");
    // as kubelet updates a secret volume: each file replaced whole
    for (String f : List.of("ca.crt", "tls.key", "tls.crt"))
      Files.move(
          work.resolve(f),
          dir.resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try (var files = Files.list(work)) {
      for (Path p : files.toList()) Files.delete(p);
    }
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

  private static void openssl(Path work, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (p.waitFor() != 0) throw new IOException("openssl " + args[0] + " failed: " + out.strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}

package io.kmetal.storage.testbed;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A kubeconfig acting as a ServiceAccount, as a pod's projected token does: a one-hour token from
 * the TokenRequest API, the cluster's CA, mode 0600. A driver run with it loads what a pod's does
 * (no client certificate to read).
 */
public final class ServiceAccountKubeconfig {
  private ServiceAccountKubeconfig() {}

  /** Writes {@code file} for {@code namespace/account} of {@code cluster}; returns it. */
  public static Path write(KubernetesClient cluster, String namespace, String account, Path file)
      throws IOException {
    String token =
        cluster
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    var config = cluster.getConfiguration();
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: cluster
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: cluster
          context: {cluster: cluster, user: %s, namespace: %s}
        current-context: cluster
        """
            .formatted(
                config.getMasterUrl(), config.getCaCertData(), account, token, account, namespace);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, yaml);
    return file;
  }
}

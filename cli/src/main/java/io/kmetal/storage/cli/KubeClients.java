package io.kmetal.storage.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kmetal.contract.ClientKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A cluster client from a kubeconfig file, or the pod's service account when there is none. */
final class KubeClients {
  private KubeClients() {}

  static KubernetesClient client(Path kubeconfig) throws IOException {
    return new KubernetesClientBuilder().withConfig(config(kubeconfig)).build();
  }

  /** The client configuration from {@code kubeconfig} (null: the pod's service account). */
  static Config config(Path kubeconfig) throws IOException {
    Config config =
        kubeconfig == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(Files.readString(kubeconfig));
    if (ClientKeys.isEc(config.getClientKeyData())) config.setClientKeyAlgo("EC");
    return config;
  }

  /**
   * A failed call as a person reads it: fabric8 says which call failed, the JDK's exceptions
   * beneath often have no message but their type ({@code ConnectException}).
   */
  static String describe(Throwable e) {
    List<String> causes = new ArrayList<>();
    for (Throwable c = e.getCause(); c != null && causes.size() < 8; c = c.getCause())
      causes.add(describeOne(c));
    return describeOne(e) + (causes.isEmpty() ? "" : " (" + String.join(", ", causes) + ")");
  }

  private static String describeOne(Throwable e) {
    String type = e.getClass().getSimpleName();
    if (e.getMessage() == null || e.getMessage().isBlank()) return type;
    return e instanceof KubernetesClientException ? e.getMessage() : type + ": " + e.getMessage();
  }
}

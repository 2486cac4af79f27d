package io.kmetal.csi.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kmetal.contract.ClientKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cluster client from a kubeconfig file, or the pod's service account when there is none. */
public final class KubeClients {
  private KubeClients() {}

  public static KubernetesClient client(Path kubeconfig) throws IOException {
    Config config =
        kubeconfig == null
            ? Config.autoConfigure(null)
            : Config.fromKubeconfig(Files.readString(kubeconfig));
    if (ClientKeys.isEc(config.getClientKeyData())) config.setClientKeyAlgo("EC");
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}

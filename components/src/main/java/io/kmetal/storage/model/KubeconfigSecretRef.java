package io.kmetal.storage.model;

/**
 * Where the controller's sidecars find the tenant cluster's kubeconfig in the under cluster.
 * Defaults follow Kamaji: secret {@code <cluster>-admin-kubeconfig}, key {@code admin.conf}.
 */
public record KubeconfigSecretRef(String name, String key) {
  public static final String DEFAULT_KEY = "admin.conf";

  public static KubeconfigSecretRef kamajiDefault(String cluster) {
    return new KubeconfigSecretRef(cluster + "-admin-kubeconfig", DEFAULT_KEY);
  }

  public KubeconfigSecretRef withDefaultsFor(String cluster) {
    return new KubeconfigSecretRef(
        Defaults.or(name, cluster + "-admin-kubeconfig"), Defaults.or(key, DEFAULT_KEY));
  }
}

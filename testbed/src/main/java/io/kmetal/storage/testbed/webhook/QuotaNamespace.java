package io.kmetal.storage.testbed.webhook;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A tenant's under-cluster namespace with its storage ResourceQuota on {@code
 * tenant-storage-class}, for a webhook to decide against; deleted again on close.
 */
public record QuotaNamespace(KubernetesClient under, String namespace, String quota)
    implements AutoCloseable {
  public static final String CLASS_KEY =
      "tenant-storage-class.storageclass.storage.k8s.io/requests.storage";

  public static QuotaNamespace create(
      KubernetesClient under, String namespace, String quota, String hard) {
    under
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    under
        .resourceQuotas()
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(quota)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .addToHard(CLASS_KEY, new Quantity(hard))
                .endSpec()
                .build())
        .serverSideApply();
    return new QuotaNamespace(under, namespace, quota);
  }

  @Override
  public void close() {
    under.namespaces().withName(namespace).delete();
  }
}

package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;
import java.util.Map;

/** What keeps a replicated workload serving through node drains, and who may reach it. */
final class Availability {
  private Availability() {}

  /**
   * A PodDisruptionBudget of one pod at a time for a workload of {@code replicas}, so a drain never
   * takes every replica at once; none for a single replica (a budget there would block the drain).
   */
  static List<Manifest> budget(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> selector,
      int replicas) {
    if (replicas < 2) return List.of();
    HasMetadata pdb =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withMaxUnavailable(new IntOrString(1))
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .endSpec()
            .build();
    return List.of(Manifest.under(pdb));
  }

  /**
   * Ingress to the pods {@code selector} picks only on TCP {@code port} (probes included: they use
   * the same port); enforced where the cluster's CNI enforces NetworkPolicy.
   */
  static Manifest onlyPort(
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, String> selector,
      int port) {
    return Manifest.under(
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(selector)
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .addNewIngress()
            .addNewPort()
            .withProtocol("TCP")
            .withPort(new IntOrString(port))
            .endPort()
            .endIngress()
            .endSpec()
            .build());
  }
}

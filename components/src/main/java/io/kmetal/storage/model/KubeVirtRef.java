package io.kmetal.storage.model;

import java.util.List;

/**
 * A KubeVirt CR this project sets fields of by server-side-apply patches (virt-operator keeps
 * owning the rest): the HPP overlay points its {@code spec.configuration.vmStateStorageClass} at
 * the overlay class, and every component adds the feature gates its features need to {@code
 * developerConfiguration.featureGates}, merged with the gates the cluster already holds.
 *
 * @param featureGates gates to add besides those the features need, e.g. an operator's choice that
 *     must survive; merged, never replacing the list
 * @param manageFeatureGates false leaves the gates alone (e.g. when the HyperConverged operator
 *     owns the KubeVirt CR); hot-plug then works only if the cluster enables it already
 */
public record KubeVirtRef(
    String namespace, String name, List<String> featureGates, Boolean manageFeatureGates) {
  /** kubevirt/kubevirt, gates managed: where virt-operator's install puts the CR. */
  public static final KubeVirtRef DEFAULT = new KubeVirtRef(null, null, null, null);

  public KubeVirtRef {
    namespace = Defaults.or(namespace, "kubevirt");
    name = Defaults.or(name, "kubevirt");
    featureGates = Defaults.list(featureGates);
    manageFeatureGates = Defaults.or(manageFeatureGates, true);
  }

  public KubeVirtRef(String namespace, String name, List<String> featureGates) {
    this(namespace, name, featureGates, null);
  }
}

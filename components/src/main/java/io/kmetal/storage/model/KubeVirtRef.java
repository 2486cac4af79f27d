package io.kmetal.storage.model;

import java.util.List;

/**
 * The KubeVirt CR whose {@code spec.configuration.vmStateStorageClass} is pointed at the overlay
 * class (a server-side-apply patch: virt-operator keeps owning the rest).
 *
 * @param featureGates when non-empty, the complete {@code developerConfiguration.featureGates} list
 *     (the field is atomic: it replaces the list), e.g. {@code [VMPersistentState]}; empty leaves
 *     the gates alone
 */
public record KubeVirtRef(String namespace, String name, List<String> featureGates) {
  public KubeVirtRef {
    namespace = Defaults.or(namespace, "kubevirt");
    name = Defaults.or(name, "kubevirt");
    featureGates = Defaults.list(featureGates);
  }
}

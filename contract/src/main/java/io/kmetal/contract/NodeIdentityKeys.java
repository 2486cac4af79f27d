package io.kmetal.contract;

/** Where a tenant Node names its KubeVirt VM (the node plugin's CSI node id). */
public final class NodeIdentityKeys {
  private NodeIdentityKeys() {}

  /** {@code spec.providerID} of a node the KubeVirt cloud provider set up. */
  public static final String PROVIDER_PREFIX = "kubevirt://";

  /** The annotation naming the VM when there is no such provider id. */
  public static final String INFRA_VM_NAME = "csi.kubevirt.io/infra-vm-name";
}

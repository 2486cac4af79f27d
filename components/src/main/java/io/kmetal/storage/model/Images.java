package io.kmetal.storage.model;

/**
 * Container images, every one pinned to a release. The kmetal images are built by {@code
 * csi-runtime}; the sidecars are the Kubernetes CSI project's current releases.
 */
public record Images(
    String controller,
    String node,
    String csiProvisioner,
    String csiAttacher,
    String csiResizer,
    String csiSnapshotter,
    String livenessProbe,
    String nodeDriverRegistrar) {
  public static final String VERSION = "0.1.0";
  public static final String CONTROLLER = "ghcr.io/kmetal-io/kmetal-storage-controller:" + VERSION;
  public static final String NODE = "ghcr.io/kmetal-io/kmetal-storage-node:" + VERSION;
  private static final String SIG = "registry.k8s.io/sig-storage/";

  public static final Images DEFAULTS = new Images(null, null, null, null, null, null, null, null);

  public Images {
    controller = Defaults.or(controller, CONTROLLER);
    node = Defaults.or(node, NODE);
    csiProvisioner = Defaults.or(csiProvisioner, SIG + "csi-provisioner:v6.3.0");
    csiAttacher = Defaults.or(csiAttacher, SIG + "csi-attacher:v4.12.0");
    csiResizer = Defaults.or(csiResizer, SIG + "csi-resizer:v2.2.1");
    csiSnapshotter = Defaults.or(csiSnapshotter, SIG + "csi-snapshotter:v8.6.0");
    livenessProbe = Defaults.or(livenessProbe, SIG + "livenessprobe:v2.19.0");
    nodeDriverRegistrar = Defaults.or(nodeDriverRegistrar, SIG + "csi-node-driver-registrar:v2.17.0");
  }
}

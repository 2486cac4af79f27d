package io.kmetal.storage.internal.render;

import static io.kmetal.contract.DriverFlags.flag;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.storage.CSIDriverBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kmetal.contract.DriverFlags;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.model.Target;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantSnapshotClassSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tenant cluster sees: the CSIDriver, the node plugin DaemonSet, the {@code kubevirt}
 * StorageClass (its only class, and its default) and a VolumeSnapshotClass. Nothing here names
 * KubeVirt objects or the under cluster's classes except {@code infraStorageClassName}.
 */
final class NodeRenderer {
  public static final String DRIVER = "csi.kubevirt.io";

  /**
   * The parameter each tenant VolumeSnapshotClass passes to CreateSnapshot: its own name, which the
   * driver's ConfigMap maps to an under-cluster class.
   */
  public static final String SNAPSHOT_CLASS_PARAMETER = "snapshotClass";

  public static final String DAEMONSET = "kubevirt-csi-node";
  static final String NAMESPACE = "kube-system";
  static final String PLUGIN_DIR = "/var/lib/kubelet/plugins/" + DRIVER;
  static final int HEALTH_PORT = 9809;

  private NodeRenderer() {}

  public static List<Manifest> render(TenantStorageSpec tenant, TenantClusterSpec cluster) {
    Target target = Target.tenant(tenant.namespace(), cluster.name());
    Map<String, String> labels = Labels.of(DAEMONSET, cluster.name(), "csi-node");
    List<Manifest> out = new ArrayList<>();
    out.add(
        tenant(
            target,
            new CSIDriverBuilder()
                .withNewMetadata()
                .withName(DRIVER)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAttachRequired(true)
                .withPodInfoOnMount(true)
                .withFsGroupPolicy("ReadWriteOnceWithFSType")
                .withVolumeLifecycleModes("Persistent")
                .endSpec()
                .build()));
    out.add(
        tenant(
            target,
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(DAEMONSET)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .build()));
    out.add(
        tenant(
            target,
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(DAEMONSET)
                .withLabels(labels)
                .endMetadata()
                .withRules(Rbac.rule("", List.of("nodes"), "get"))
                .build()));
    out.add(
        tenant(
            target, Rbac.clusterRoleBinding(DAEMONSET, labels, DAEMONSET, NAMESPACE, DAEMONSET)));
    out.add(
        tenant(
            target, daemonSet(tenant.images(), labels, cluster.name(), tenant.upstreamSidecars())));
    out.add(tenant(target, storageClass(tenant, labels)));
    List<TenantSnapshotClassSpec> snapshots = tenant.snapshotClasses();
    for (TenantSnapshotClassSpec sc : snapshots)
      out.add(
          tenant(
              target,
              Crds.snapshotClass(
                  sc.name(),
                  DRIVER,
                  "Delete",
                  // the driver maps the class to the under cluster's by this name (its ConfigMap)
                  Map.of(SNAPSHOT_CLASS_PARAMETER, sc.name()),
                  sc == snapshots.get(0), // the first is the driver's default
                  labels)));
    if (tenant.enforceSingleDefault()) {
      SingleDefaultPolicyRenderer.storageClass(tenant.tenantStorageClassName(), labels)
          .forEach(o -> out.add(tenant(target, o)));
      if (!snapshots.isEmpty())
        SingleDefaultPolicyRenderer.snapshotClass(DRIVER, snapshots.get(0).name(), labels)
            .forEach(o -> out.add(tenant(target, o)));
    }
    return out;
  }

  private static Manifest tenant(
      Target target, io.fabric8.kubernetes.api.model.HasMetadata object) {
    return new Manifest(target, object, Ownership.OWNED);
  }

  static io.fabric8.kubernetes.api.model.storage.StorageClass storageClass(
      TenantStorageSpec tenant, Map<String, String> labels) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("infraStorageClassName", tenant.infraStorageClassName());
    parameters.put("bus", tenant.bus());
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(tenant.tenantStorageClassName())
        .withLabels(labels)
        .addToAnnotations(StorageTierRenderer.DEFAULT_CLASS, "true")
        .endMetadata()
        .withProvisioner(DRIVER)
        .withParameters(parameters)
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .withAllowVolumeExpansion(true)
        .build();
  }

  /**
   * The node plugin: by default one container that also serves {@code /healthz} and registers
   * itself with the kubelet; with {@code upstream} upstream's node-driver-registrar and
   * livenessprobe sidecars do that.
   */
  static DaemonSet daemonSet(
      Images images, Map<String, String> labels, String cluster, boolean upstream) {
    Map<String, String> workload = Labels.workload(labels, DAEMONSET);
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(DAEMONSET)
        .withNamespace(NAMESPACE)
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(Labels.selector(DAEMONSET, cluster))
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString("10%"))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(DAEMONSET)
        .withPriorityClassName("system-node-critical")
        .addNewToleration()
        .withOperator("Exists")
        .endToleration()
        .addToContainers(driver(images, upstream))
        .addToContainers(upstream ? upstreamSidecars(images) : new Container[0])
        .addNewVolume()
        .withName("plugin-dir")
        .withNewHostPath()
        .withPath(PLUGIN_DIR)
        .withType("DirectoryOrCreate")
        .endHostPath()
        .endVolume()
        .addNewVolume()
        .withName("kubelet-dir")
        .withNewHostPath()
        .withPath("/var/lib/kubelet")
        .withType("Directory")
        .endHostPath()
        .endVolume()
        .addNewVolume()
        .withName("registration-dir")
        .withNewHostPath()
        .withPath("/var/lib/kubelet/plugins_registry")
        .withType("Directory")
        .endHostPath()
        .endVolume()
        .addNewVolume()
        .withName("device-dir")
        .withNewHostPath()
        .withPath("/dev")
        .endHostPath()
        .endVolume()
        .addNewVolume()
        .withName("udev")
        .withNewHostPath()
        .withPath("/run/udev")
        .endHostPath()
        .endVolume()
        .addToVolumes(Containers.tmp())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container driver(Images images, boolean upstream) {
    List<String> args =
        new ArrayList<>(
            List.of(
                DriverFlags.Node.MODE,
                flag(DriverFlags.ENDPOINT, Containers.ENDPOINT),
                flag(DriverFlags.Node.NODE_NAME, "$(KUBE_NODE_NAME)")));
    if (!upstream) {
      args.add(flag(DriverFlags.HEALTH_ADDRESS, ":" + HEALTH_PORT));
      args.add(flag(DriverFlags.Node.KUBELET_REGISTRATION_PATH, PLUGIN_DIR + "/csi.sock"));
    }
    return new ContainerBuilder()
        .withName("csi-driver")
        .withImage(images.node())
        .withImagePullPolicy("IfNotPresent")
        .withArgs(args)
        .addNewEnv()
        .withName("KUBE_NODE_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath("spec.nodeName")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        // privileged to format and mount hot-plugged disks; the root filesystem stays read-only
        // (mkfs, mount and the growers write only to devices and mount points, the JVM to /tmp)
        .withNewSecurityContext()
        .withPrivileged(true)
        .withReadOnlyRootFilesystem(true)
        .endSecurityContext()
        .withPorts(Containers.healthPort(HEALTH_PORT))
        .withStartupProbe(Containers.driverStartup())
        .withLivenessProbe(Containers.driverLiveness())
        .withVolumeMounts(
            Containers.mount("plugin-dir", Containers.SOCKET_DIR),
            new VolumeMountBuilder()
                .withName("kubelet-dir")
                .withMountPath("/var/lib/kubelet")
                .withMountPropagation("Bidirectional")
                .build(),
            Containers.mount("device-dir", "/dev"),
            Containers.mount("udev", "/run/udev"),
            Containers.tmpMount())
        .addToVolumeMounts(
            upstream
                ? new VolumeMount[0]
                : new VolumeMount[] {Containers.mount("registration-dir", "/registration")})
        .withResources(Containers.requests(Containers.DRIVER_CPU, Containers.NODE_MEMORY))
        .build();
  }

  /** Upstream's node-driver-registrar and livenessprobe, for {@code upstreamSidecars}. */
  private static Container[] upstreamSidecars(Images images) {
    return new Container[] {
      new ContainerBuilder()
          .withName("csi-node-driver-registrar")
          .withImage(images.nodeDriverRegistrar())
          .withImagePullPolicy("IfNotPresent")
          .withArgs(
              "--csi-address=" + Containers.SOCKET,
              "--kubelet-registration-path=" + PLUGIN_DIR + "/csi.sock")
          .withVolumeMounts(
              Containers.mount("plugin-dir", Containers.SOCKET_DIR),
              Containers.mount("registration-dir", "/registration"))
          .withResources(Containers.requests("10m", "16Mi"))
          .build(),
      new ContainerBuilder()
          .withName("livenessprobe")
          .withImage(images.livenessProbe())
          .withImagePullPolicy("IfNotPresent")
          .withArgs(
              "--csi-address=" + Containers.SOCKET,
              "--probe-timeout=3s",
              "--health-port=" + HEALTH_PORT)
          .withVolumeMounts(Containers.mount("plugin-dir", Containers.SOCKET_DIR))
          .withResources(Containers.requests("10m", "16Mi"))
          .build()
    };
  }
}

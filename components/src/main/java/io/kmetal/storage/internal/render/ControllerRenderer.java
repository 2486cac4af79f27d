package io.kmetal.storage.internal.render;

import static io.kmetal.contract.DriverFlags.flag;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.kmetal.contract.DriverConfigKeys;
import io.kmetal.contract.DriverFlags;
import io.kmetal.storage.model.Images;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The CSI controller of one tenant cluster, in the tenant's under-cluster namespace: the driver
 * talks to the under cluster with its ServiceAccount (DataVolumes, VM hot-plug); the sidecars watch
 * the tenant cluster through its kubeconfig secret and elect a leader there.
 */
public final class ControllerRenderer {
  public static final String PREFIX = "kubevirt-csi-controller-";
  public static final String APP = "kubevirt-csi-controller";
  static final String KUBECONFIG_DIR = "/var/run/secrets/tenantcluster";
  static final String KUBECONFIG = KUBECONFIG_DIR + "/value";
  static final String CONFIG_DIR = "/etc/kmetal/driver-config";
  static final int HEALTH_PORT = 9808;

  /** The driver's Prometheus {@code /metrics} (calls by method and code, latencies). */
  static final int METRICS_PORT = 9809;

  private ControllerRenderer() {}

  public static String deploymentName(String cluster) {
    return PREFIX + cluster;
  }

  public static List<Manifest> render(TenantStorageSpec tenant, TenantClusterSpec cluster) {
    String name = deploymentName(cluster.name());
    String ns = tenant.namespace();
    Map<String, String> labels = Labels.of(APP, cluster.name(), "csi-controller");
    List<Manifest> out = new ArrayList<>();
    out.add(
        Manifest.under(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .build()));
    out.add(
        Manifest.under(
            new RoleBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withRules(rules(tenant.snapshots()))
                .build()));
    out.add(Manifest.under(Rbac.roleBinding(name, ns, labels, name, name)));
    out.add(Manifest.under(driverConfig(tenant, cluster, name, labels)));
    out.add(Manifest.under(deployment(tenant, cluster, name, labels)));
    out.add(Manifest.under(metricsService(name, ns, labels, cluster)));
    out.addAll(
        Availability.budget(
            name, ns, labels, Labels.selector(APP, cluster.name()), tenant.controllerReplicas()));
    return out;
  }

  /** {@code <controller>-metrics}: the controller pods' {@code /metrics}, for scraping. */
  private static HasMetadata metricsService(
      String name, String ns, Map<String, String> labels, TenantClusterSpec cluster) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name + "-metrics")
        .withNamespace(ns)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withSelector(Labels.selector(APP, cluster.name()))
        .addNewPort()
        .withName("metrics")
        .withPort(METRICS_PORT)
        .withNewTargetPort("metrics")
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * What the driver calls in the tenant namespace, and nothing more (RbacMinimumTest names the call
   * each verb is for): DataVolumes (watched for CDI's verdict on a new claim; CDI authorizes a
   * clone by {@code create} on {@code datavolumes/source}), its VM and VMI (a VMI is watched while
   * a hot-plug settles), hot-plug on the VM with the VMI removevolume fallback, and VolumeSnapshots
   * when the tenant takes {@code snapshots}.
   */
  static List<PolicyRule> rules(boolean snapshots) {
    List<PolicyRule> rules =
        new ArrayList<>(
            List.of(
                Rbac.rule(
                    "cdi.kubevirt.io",
                    List.of("datavolumes"),
                    "get",
                    "list",
                    "watch",
                    "create",
                    "delete",
                    "patch"),
                Rbac.rule("cdi.kubevirt.io", List.of("datavolumes/source"), "create"),
                Rbac.rule("kubevirt.io", List.of("virtualmachines"), "get"),
                Rbac.rule("kubevirt.io", List.of("virtualmachineinstances"), Rbac.READ),
                Rbac.rule(
                    "subresources.kubevirt.io",
                    List.of(
                        "virtualmachines/addvolume",
                        "virtualmachines/removevolume",
                        "virtualmachineinstances/removevolume"),
                    "update")));
    if (snapshots)
      rules.add(
          Rbac.rule(
              "snapshot.storage.k8s.io",
              List.of("volumesnapshots"),
              "get",
              "list",
              "create",
              "delete"));
    return List.copyOf(rules);
  }

  /** The keys the driver reads (same names as the upstream driver's ConfigMap). */
  static HasMetadata driverConfig(
      TenantStorageSpec tenant,
      TenantClusterSpec cluster,
      String name,
      Map<String, String> labels) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(DriverConfigKeys.INFRA_CLUSTER_NAMESPACE, tenant.namespace());
    data.put(
        DriverConfigKeys.INFRA_CLUSTER_LABELS,
        Ordered.sorted(cluster.labels()).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")));
    data.put(DriverConfigKeys.SNAPSHOTS, String.valueOf(tenant.snapshots()));
    if (!tenant.snapshotClasses().isEmpty())
      data.put(
          DriverConfigKeys.INFRA_SNAPSHOT_CLASSES,
          tenant.snapshotClasses().stream()
              .map(sc -> sc.name() + "=" + sc.infraSnapshotClassName())
              .collect(Collectors.joining(",")));
    data.put(
        DriverConfigKeys.INFRA_STORAGE_CLASS_ENFORCEMENT,
        "allowAll: false\nallowDefault: false\nallowList:\n  - "
            + tenant.infraStorageClassName()
            + "\n");
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name + "-config")
        .withNamespace(tenant.namespace())
        .withLabels(labels)
        .endMetadata()
        .withData(data)
        .build();
  }

  static Deployment deployment(
      TenantStorageSpec tenant,
      TenantClusterSpec cluster,
      String name,
      Map<String, String> labels) {
    Images images = tenant.images();
    Map<String, String> workload = Labels.workload(labels, APP);
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(tenant.namespace())
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withReplicas(tenant.controllerReplicas())
        .withNewSelector()
        .withMatchLabels(Labels.selector(APP, cluster.name()))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(workload)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(name)
        // only the driver talks to the under cluster: the sidecars get no token of its
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(Containers.nonRootPod())
        .withNewAffinity()
        .withNewPodAntiAffinity()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(100)
        .withNewPodAffinityTerm()
        .withTopologyKey("kubernetes.io/hostname")
        .withNewLabelSelector()
        .withMatchLabels(Labels.selector(APP, cluster.name()))
        .endLabelSelector()
        .endPodAffinityTerm()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .endAffinity()
        // The sidecars give up when the driver's socket is silent for 30 s, which a cold JVM on a
        // busy node can be: the driver is the first container, and its postStart hook returns only
        // once its socket is in place, so the kubelet (which starts containers in order, each after
        // the hook of the one before) starts the sidecars against a driver that answers.
        .addToContainers(driver(tenant, cluster, images))
        .addToContainers(sidecars(images, tenant.upstreamSidecars(), tenant.snapshots()))
        .addNewVolume()
        .withName("socket-dir")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addToVolumes(
            Containers.kubeconfig(
                "tenantcluster",
                TenantCredentialsRenderer.secretFor(
                    tenant, cluster, TenantCredentialsRenderer.CONTROLLER),
                "value"))
        .addToVolumes(Containers.tmp())
        .addToVolumes(Containers.serviceAccountToken())
        .addNewVolume()
        .withName("driver-config")
        .withNewConfigMap()
        .withName(name + "-config")
        .endConfigMap()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container driver(
      TenantStorageSpec tenant, TenantClusterSpec cluster, Images images) {
    List<String> args =
        new ArrayList<>(
            List.of(
                DriverFlags.Controller.MODE,
                flag(DriverFlags.ENDPOINT, Containers.ENDPOINT),
                flag(DriverFlags.Controller.DRIVER_CONFIG, CONFIG_DIR),
                flag(DriverFlags.Controller.TENANT_CLUSTER, cluster.name()),
                flag(DriverFlags.Controller.TENANT_KUBECONFIG, KUBECONFIG),
                flag(DriverFlags.Controller.BUS, tenant.bus())));
    if (!tenant.upstreamSidecars()) args.add(flag(DriverFlags.HEALTH_ADDRESS, ":" + HEALTH_PORT));
    args.add(flag(DriverFlags.METRICS_ADDRESS, ":" + METRICS_PORT));
    return new ContainerBuilder()
        .withName("csi-driver")
        .withImage(images.controller())
        .withImagePullPolicy("IfNotPresent")
        .withArgs(args)
        .withPorts(Containers.healthPort(HEALTH_PORT), Containers.port("metrics", METRICS_PORT))
        .withLifecycle(Containers.awaitDriverSocket())
        .withStartupProbe(Containers.driverStartup())
        .withLivenessProbe(Containers.driverLiveness())
        .withVolumeMounts(
            Containers.mount("socket-dir", Containers.SOCKET_DIR),
            Containers.readOnly("tenantcluster", KUBECONFIG_DIR),
            Containers.readOnly("driver-config", CONFIG_DIR),
            Containers.tmpMount(),
            Containers.serviceAccountTokenMount())
        .withResources(Containers.requests(Containers.DRIVER_CPU, Containers.CONTROLLER_MEMORY))
        .withSecurityContext(Containers.restricted())
        .build();
  }

  /**
   * The four CSI sidecars, and upstream's livenessprobe when asked for (else the driver serves
   * {@code /healthz} itself). The snapshotter runs for a tenant without snapshot classes too: it
   * has nothing to do until a mapping is added, and then no Deployment changes. A tenant with
   * {@code snapshots} off gets no snapshotter: its driver advertises no snapshot capability.
   */
  private static Container[] sidecars(Images images, boolean upstream, boolean snapshots) {
    var kubeconfig = Containers.readOnly("tenantcluster", KUBECONFIG_DIR);
    List<Container> sidecars = new ArrayList<>();
    sidecars.add(
        Containers.sidecar(
            "csi-provisioner",
            images.csiProvisioner(),
            tenantSidecarArgs(
                "--default-fstype=ext4", "--extra-create-metadata", "--retry-interval-max=1m"),
            kubeconfig));
    sidecars.add(
        Containers.sidecar("csi-attacher", images.csiAttacher(), tenantSidecarArgs(), kubeconfig));
    if (snapshots)
      sidecars.add(
          Containers.sidecar(
              "csi-snapshotter",
              images.csiSnapshotter(),
              tenantSidecarArgs("--extra-create-metadata"),
              kubeconfig));
    sidecars.add(
        Containers.sidecar(
            "csi-resizer",
            images.csiResizer(),
            tenantSidecarArgs("--handle-volume-inuse-error=false"),
            kubeconfig));
    if (upstream) {
      sidecars.add(
          Containers.sidecar(
              "livenessprobe",
              images.livenessProbe(),
              List.of(
                  "--csi-address=" + Containers.SOCKET,
                  "--probe-timeout=3s",
                  "--health-port=" + HEALTH_PORT)));
    }
    return sidecars.toArray(Container[]::new);
  }

  /** Sidecars act on the tenant cluster and hold their leader lease in its kube-system. */
  private static List<String> tenantSidecarArgs(String... extra) {
    List<String> args = new ArrayList<>();
    args.add("--csi-address=" + Containers.SOCKET);
    args.add("--kubeconfig=" + KUBECONFIG);
    args.add("--timeout=3m");
    args.add("--leader-election");
    args.add("--leader-election-namespace=kube-system");
    args.addAll(List.of(extra));
    return args;
  }
}

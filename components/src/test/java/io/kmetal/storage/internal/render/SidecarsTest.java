package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.TenantStorageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver does node-driver-registrar's and livenessprobe's work by default (one node container,
 * no probe sidecar); {@code upstreamSidecars: true} renders upstream's containers instead.
 */
class SidecarsTest {
  private static TenantStorageSpec tenant(String extra) {
    return Fixtures.yaml(
            "tenantStorages: [{name: t, storageQuota: 1Gi, clusters: [{name: a}]" + extra + "}]")
        .tenantStorages()
        .get(0);
  }

  private static PodSpec node(TenantStorageSpec t) {
    return ((DaemonSet)
            NodeRenderer.render(t, t.clusters().get(0)).stream()
                .filter(m -> m.kind().equals("DaemonSet"))
                .findFirst()
                .orElseThrow()
                .object())
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static PodSpec controller(TenantStorageSpec t) {
    return ((Deployment)
            ControllerRenderer.render(t, t.clusters().get(0)).stream()
                .filter(m -> m.kind().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .object())
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static List<String> names(PodSpec pod) {
    return names(pod.getContainers());
  }

  private static List<String> names(List<Container> containers) {
    return containers.stream().map(Container::getName).toList();
  }

  @Test
  void byDefaultTheNodePluginIsOneContainerThatRegistersItselfAndServesHealthz() {
    PodSpec pod = node(tenant(""));
    assertEquals(List.of("csi-driver"), names(pod));
    Container driver = pod.getContainers().get(0);
    assertTrue(
        driver
            .getArgs()
            .contains(
                "--kubelet-registration-path=/var/lib/kubelet/plugins/csi.kubevirt.io/csi.sock"));
    assertTrue(driver.getArgs().contains("--health-address=:9809"));
    assertTrue(
        driver.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/registration")));
    assertEquals("/healthz", driver.getLivenessProbe().getHttpGet().getPath());
    assertNotNull(driver.getStartupProbe(), "a slow first start is not killed in a loop");
  }

  @Test
  void theControllerDriverComesFirstAndHoldsTheSidecarsBackUntilItsSocketIsInPlace() {
    PodSpec pod = controller(tenant(""));
    assertEquals(List.of(), pod.getInitContainers());
    assertEquals(
        List.of("csi-driver", "csi-provisioner", "csi-attacher", "csi-snapshotter", "csi-resizer"),
        names(pod.getContainers()));
    Container driver = pod.getContainers().get(0);
    List<String> hook = driver.getLifecycle().getPostStart().getExec().getCommand();
    assertEquals(
        List.of(io.kmetal.storage.model.Images.DRIVER_SOCKET_WAIT, "/csi/csi.sock", "120"),
        hook.subList(hook.size() - 3, hook.size()),
        "the kubelet starts the sidecars once the hook returns");
    assertNotNull(driver.getStartupProbe(), "a slow first start is not killed in a loop");
    assertTrue(driver.getArgs().contains("--health-address=:9808"));
    assertTrue(
        pod.getVolumes().stream().anyMatch(v -> v.getName().equals("tmp")),
        "jcmd reaches the JVM through a socket in /tmp, under the read-only root");
  }

  @Test
  void onlyTheControllerDriverHoldsTheUnderClustersServiceAccountToken() {
    PodSpec pod = controller(tenant(""));
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    for (Container c : pod.getContainers()) {
      boolean token =
          c.getVolumeMounts().stream()
              .anyMatch(m -> m.getMountPath().equals(Containers.SERVICE_ACCOUNT_DIR));
      assertEquals(c.getName().equals("csi-driver"), token, c.getName());
    }
  }

  @Test
  void aTenantWithSnapshotClassesGetsItsMappingInTheDriverConfig() {
    TenantStorageSpec t =
        tenant(
            ", snapshotClasses: [{name: gold-snap, infraSnapshotClassName: ocs-rbd},"
                + " {name: fast-snap, infraSnapshotClassName: ocs-nvme}]");
    assertEquals(
        List.of("csi-driver", "csi-provisioner", "csi-attacher", "csi-snapshotter", "csi-resizer"),
        names(controller(t).getContainers()));
    var config =
        (io.fabric8.kubernetes.api.model.ConfigMap)
            ControllerRenderer.render(t, t.clusters().get(0)).stream()
                .filter(m -> m.kind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow()
                .object();
    assertEquals(
        "gold-snap=ocs-rbd,fast-snap=ocs-nvme", config.getData().get("infraSnapshotClasses"));
  }

  @Test
  void upstreamSidecarsRenderTheRegistrarAndLivenessprobeInstead() {
    TenantStorageSpec t = tenant(", upstreamSidecars: true");
    PodSpec node = node(t);
    assertEquals(3, node.getContainers().size(), names(node).toString());
    Container driver = node.getContainers().get(0);
    assertFalse(driver.getArgs().stream().anyMatch(a -> a.startsWith("--kubelet-registration")));
    assertFalse(driver.getArgs().stream().anyMatch(a -> a.startsWith("--health-address")));
    PodSpec controller = controller(t);
    assertEquals(
        List.of(
            "csi-driver",
            "csi-provisioner",
            "csi-attacher",
            "csi-snapshotter",
            "csi-resizer",
            "livenessprobe"),
        names(controller));
    assertNull(
        controller.getContainers().get(0).getArgs().stream()
            .filter(a -> a.startsWith("--health-address"))
            .findFirst()
            .orElse(null));
  }
}

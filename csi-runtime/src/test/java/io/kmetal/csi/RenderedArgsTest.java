package io.kmetal.csi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.kmetal.contract.DriverConfigKeys;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.Images;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The rendered manifests against the driver's own command line: every argument list the renderer
 * gives a driver container parses with the driver's parser, every ConfigMap key the controller
 * reads is rendered, and the class the postStart hook runs exists. The clean-up CronJob of a Retain
 * tier runs the same binary and is parsed the same way. A flag renamed on one side fails here, not
 * in an IT.
 */
class RenderedArgsTest {
  /** Every driver feature that changes a container's arguments. */
  private static final String FLEET =
      """
      storageTiers:
        - {name: tenant-storage-class, role: tenant, backend: {cephRbd: {clusterID: c, pool: p}},
           snapshotClass: {name: rbd-snap, isDefault: true}}
        - {name: gold, isDefault: true, backend: {csi: {provisioner: p}}, retainCleanup: {dryRun: false}}
        - {name: silver, backend: {csi: {provisioner: p}}, retainCleanup: {olderThan: 12h}}
      tenantStorages:
        - {name: alpha, storageQuota: 10Gi, clusters: [{name: prod}, {name: dev}],
           webhook: {pushConfiguration: true}}
        - {name: beta, storageQuota: 1Gi, clusters: [{name: one}], upstreamSidecars: true,
           bus: virtio}
      """;

  private static final List<Manifest> RENDERED =
      FleetRenderer.render(FleetFile.parse(FLEET, "rendered-args.yaml"));

  private static List<Container> driverContainers() {
    List<Container> out = new ArrayList<>();
    for (Manifest m : RENDERED) {
      PodSpec pod =
          m.object() instanceof Deployment d
              ? d.getSpec().getTemplate().getSpec()
              : m.object() instanceof DaemonSet ds
                  ? ds.getSpec().getTemplate().getSpec()
                  : m.object() instanceof CronJob cj
                      ? cj.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                      : null;
      if (pod == null) continue;
      for (Container c : pod.getContainers())
        if (c.getImage().equals(Images.CONTROLLER) || c.getImage().equals(Images.NODE)) out.add(c);
    }
    return out;
  }

  @Test
  void everyDriverContainersArgumentsParseWithTheDriversParser() {
    Set<String> modes = new java.util.TreeSet<>();
    for (Container c : driverContainers()) {
      var parsed = new CommandLine(new Main()).parseArgs(c.getArgs().toArray(String[]::new));
      assertTrue(parsed.hasSubcommand(), c.getName() + ": " + c.getArgs());
      assertEquals(
          List.of(),
          parsed.subcommand().unmatched(),
          c.getName() + " passes arguments the driver does not take");
      modes.add(parsed.subcommand().commandSpec().name());
    }
    assertEquals(Set.of("controller", "node", "webhook", "released"), modes);
  }

  @Test
  void theDriverConfigMapHoldsEveryKeyTheControllerReads() {
    List<ConfigMap> configs =
        RENDERED.stream()
            .filter(
                m ->
                    m.object() instanceof ConfigMap cm
                        && cm.getMetadata().getName().endsWith("-config"))
            .map(m -> (ConfigMap) m.object())
            .filter(cm -> cm.getData().containsKey(DriverConfigKeys.INFRA_CLUSTER_NAMESPACE))
            .toList();
    assertEquals(3, configs.size(), "one per tenant cluster");
    for (ConfigMap cm : configs) {
      assertTrue(cm.getData().containsKey(DriverConfigKeys.INFRA_CLUSTER_LABELS));
      assertTrue(cm.getData().containsKey(DriverConfigKeys.INFRA_STORAGE_CLASS_ENFORCEMENT));
      assertTrue(cm.getData().containsKey(DriverConfigKeys.INFRA_SNAPSHOT_CLASSES));
    }
  }

  @Test
  void thePostStartHookRunsAClassTheJarHas() throws Exception {
    List<String> hooks =
        driverContainers().stream()
            .filter(c -> c.getLifecycle() != null && c.getLifecycle().getPostStart() != null)
            .flatMap(c -> c.getLifecycle().getPostStart().getExec().getCommand().stream())
            .filter(arg -> arg.equals(Images.DRIVER_SOCKET_WAIT))
            .toList();
    assertFalse(hooks.isEmpty());
    Class.forName(Images.DRIVER_SOCKET_WAIT).getMethod("main", String[].class);
  }
}

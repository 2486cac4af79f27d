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
import io.kmetal.csi.command.DriverCli;
import io.kmetal.csi.controller.ControllerConfig;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.internal.render.FleetRenderer;
import io.kmetal.storage.internal.render.Manifest;
import io.kmetal.storage.model.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered manifests against the driver's own command line: every argument list the renderer
 * gives a driver container parses with the driver's parser, the controller reads every driver
 * ConfigMap the renderer writes, and the class the postStart hook runs exists. The clean-up CronJob
 * of a Retain tier runs the same binary and is parsed the same way. A flag renamed on one side
 * fails here, not in an IT.
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
        - {name: gamma, storageQuota: 1Gi, clusters: [{name: solo}], snapshots: false}
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
      var parsed = DriverCli.commandLine(new Main()).parseArgs(c.getArgs().toArray(String[]::new));
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
  void theControllerReadsEachRenderedDriverConfigMapAsTheKubeletMountsIt(@TempDir Path dir)
      throws Exception {
    Map<String, ControllerConfig> read = new TreeMap<>();
    for (Manifest m : RENDERED) {
      if (!(m.object() instanceof ConfigMap cm)
          || !cm.getData().containsKey(DriverConfigKeys.INFRA_CLUSTER_NAMESPACE)) continue;
      Path mounted = Files.createDirectories(dir.resolve(cm.getMetadata().getName()));
      for (var key : cm.getData().entrySet())
        Files.writeString(mounted.resolve(key.getKey()), key.getValue());
      read.put(cm.getMetadata().getName(), ControllerConfig.read(mounted));
    }

    assertEquals(4, read.size(), "one per tenant cluster: " + read.keySet());
    for (var config : read.entrySet()) {
      boolean gamma = config.getKey().contains("solo");
      assertEquals(!gamma, config.getValue().snapshots(), config.getKey());
      assertEquals(
          gamma ? null : "rbd-snap",
          config.getValue().infraSnapshotClass(null),
          config.getKey() + ": a fleet maps the tier's snapshot class unless snapshots are off");
      assertFalse(config.getValue().labels().isEmpty());
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

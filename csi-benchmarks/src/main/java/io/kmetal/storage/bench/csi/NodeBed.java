package io.kmetal.storage.bench.csi;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.storage.testbed.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the node plugin needs to start, as in {@code CsiSanity}: a tenant Node whose providerID
 * names a KubeVirt VM, and a by-id folder where hot-plugged disks appear by serial (here: symlinks
 * to loop devices the benchmark attaches).
 */
public record NodeBed(Sandbox.Cluster tenant, String node, Path byIdDir) {
  static final String NODE = "csi-bench-node";
  static final String VM = "csi-bench-vm";

  /** Creates the Node in the sandbox's first tenant cluster; the teardown deletes it. */
  public static NodeBed create(Sandbox sandbox, Path dir, Teardown teardown) throws IOException {
    if (sandbox.tenants().isEmpty())
      throw new IllegalStateException(
          "the sandbox has no tenant cluster: start one with ./kmetal sandbox up");
    Sandbox.Cluster tenant = sandbox.tenants().get(0);
    try (KubernetesClient client = tenant.client()) {
      client
          .nodes()
          .resource(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName(NODE)
                  .endMetadata()
                  .withNewSpec()
                  .withProviderID("kubevirt://" + VM)
                  .endSpec()
                  .build())
          .serverSideApply();
    }
    teardown.add(
        "delete node " + NODE + " in " + tenant.name(),
        () -> {
          try (KubernetesClient client = tenant.client()) {
            client.nodes().withName(NODE).delete();
          }
        });
    return new NodeBed(tenant, NODE, Files.createDirectories(dir.resolve("by-id")));
  }

  /** The node plugin's arguments besides {@code --endpoint}. */
  public List<String> args() {
    return List.of(
        "--node-name=" + node,
        "--kubeconfig=" + tenant.kubeconfig(),
        "--disk-by-id-dir=" + byIdDir);
  }

  /** Where the plugin finds the disk of {@code volumeId} (a scsi hot-plug's name). */
  public Path link(String volumeId) {
    return byIdDir.resolve("scsi-0QEMU_QEMU_HARDDISK_" + DiskSerial.of(volumeId));
  }
}

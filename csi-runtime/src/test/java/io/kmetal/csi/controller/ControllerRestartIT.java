package io.kmetal.csi.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import csi.v1.ControllerGrpc;
import csi.v1.Csi.CapacityRange;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.VolumeCapability;
import csi.v1.Csi.VolumeCapability.AccessMode.Mode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ManagedChannel;
import io.kmetal.csi.server.UnixChannels;
import io.kmetal.storage.testbed.Sandbox;
import io.kmetal.storage.testbed.csi.DriverProcess;
import io.kmetal.storage.testbed.kubevirt.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged controller killed (SIGKILL) while CreateVolume calls are in flight, then started
 * again: the sidecar's retry of each call converges on one DataVolume per volume name, and nothing
 * is left that no volume owns.
 */
class ControllerRestartIT {
  private static final String NS = "csi-restart-it";
  private static final int ROUNDS = 4;
  private static final int CALLS = 5;

  @Test
  void retriesAfterAKilledControllerConvergeWithoutOrphans() throws Exception {
    Sandbox.Cluster under = Sandbox.running().under();
    Path dir = Files.createTempDirectory("restart-it-");
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("infraClusterNamespace"), NS);
    Files.writeString(config.resolve("infraClusterLabels"), "csi.kubevirt.io/tenant-cluster=rs");
    List<String> args =
        List.of(
            "--driver-config=" + config,
            "--under-kubeconfig=" + under.kubeconfig(),
            "--admission-wait-seconds=0"); // no CDI here: nothing would ever make the claims
    Path socket = dir.resolve("csi.sock");
    Set<String> names = new TreeSet<>();
    try (KubernetesClient client = under.client()) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .serverSideApply();
      for (int round = 0; round < ROUNDS; round++) {
        var driver = DriverProcess.start("controller", socket, dir.resolve("controller.log"), args);
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) batch.add("pvc-restart-" + round + "-" + i);
        names.addAll(batch);
        try (var channel = new Channel(socket)) {
          for (String name : batch) channel.controller.createVolume(request(name)); // async
          TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(0, 40));
          driver.process().destroyForcibly().waitFor(); // mid-call: some answered, some not
        }
        var restarted =
            DriverProcess.start("controller", socket, dir.resolve("controller.log"), args);
        try (var channel = new Channel(socket)) {
          for (String name : batch) // the sidecar's retries
          assertEquals(
                name,
                ControllerGrpc.newBlockingStub(channel.channel)
                    .createVolume(request(name))
                    .getVolume()
                    .getVolumeId());
        } finally {
          restarted.close();
        }
      }
      var dataVolumes =
          client
              .genericKubernetesResources(Kinds.DATA_VOLUME)
              .inNamespace(NS)
              .list()
              .getItems()
              .stream()
              .map(dv -> dv.getMetadata().getName())
              .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
      assertEquals(names, dataVolumes, "one DataVolume per volume, none orphaned");
      var driver = DriverProcess.start("controller", socket, dir.resolve("controller.log"), args);
      try (var channel = new Channel(socket)) {
        for (String name : names)
          ControllerGrpc.newBlockingStub(channel.channel)
              .deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(name).build());
      } finally {
        driver.close();
      }
      assertEquals(
          0,
          client
              .genericKubernetesResources(Kinds.DATA_VOLUME)
              .inNamespace(NS)
              .list()
              .getItems()
              .size());
    }
  }

  private static CreateVolumeRequest request(String name) {
    return CreateVolumeRequest.newBuilder()
        .setName(name)
        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16L << 20))
        .addVolumeCapabilities(
            VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.getDefaultInstance())
                .setAccessMode(
                    VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER)))
        .build();
  }

  /** A client of the driver's socket, with a non-blocking stub for calls left in flight. */
  private static final class Channel implements AutoCloseable {
    final ManagedChannel channel;
    final ControllerGrpc.ControllerFutureStub controller;

    Channel(Path socket) {
      channel = UnixChannels.open(socket);
      controller = ControllerGrpc.newFutureStub(channel);
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }
}

package io.kmetal.storage.bench.csi;

import io.kmetal.storage.testbed.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The packaged CSI driver against doing its work directly ({@code ./kmetal bench csi [create]
 * [stage] [start] [memory] [requests] [rounds] [starts]}; no part named: all four), on the sandbox:
 *
 * <ul>
 *   <li>{@code create}: CreateVolume at 1, 10 and 50 requests in flight vs. creating the same
 *       DataVolume with fabric8 ({@link CreateVolumeBench}; {@code requests} per row, 2000);
 *   <li>{@code stage}: NodeStage + NodePublish on a loop device vs. mkfs + mount + bind mount
 *       ({@link StagePublishBench}; {@code rounds}, 30);
 *   <li>{@code start}: the node plugin's time to first Probe and idle RSS under several JVM flag
 *       sets ({@link NodeStartBench}; {@code starts} per set, 5);
 *   <li>{@code memory}: the controller's and the webhook's idle RSS ({@link UnderMemoryBench};
 *       {@code starts} each, 5).
 * </ul>
 *
 * Needs root (loop devices, mounts) and the sandbox with a tenant cluster. Everything it creates is
 * removed again, also when it fails or is interrupted. It prints; it never judges a number.
 */
public final class CsiBenchmark {
  private static final Set<String> PARTS = Set.of("create", "stage", "start", "memory");

  private CsiBenchmark() {}

  public static void main(String[] args) throws Exception {
    // fabric8 warns that DataVolume is v1beta1, which says nothing about the figures
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
        "error");
    List<String> parts = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (String arg : args) {
      if (PARTS.contains(arg)) parts.add(arg);
      else numbers.add(Integer.parseInt(arg));
    }
    if (parts.isEmpty()) parts.addAll(List.of("create", "stage", "start", "memory"));
    int requests = numbers.size() > 0 ? numbers.get(0) : 2000;
    int rounds = numbers.size() > 1 ? numbers.get(1) : 30;
    int starts = numbers.size() > 2 ? numbers.get(2) : 5;

    Sandbox sandbox = Sandbox.running();
    Path dir = Files.createTempDirectory("csi-bench-");
    boolean done = false;
    try (Teardown teardown = new Teardown()) {
      if (parts.contains("create")) CreateVolumeBench.run(sandbox, dir, teardown, requests);
      if (parts.contains("stage") || parts.contains("start")) {
        NodeBed bed = NodeBed.create(sandbox, dir, teardown);
        if (parts.contains("stage")) StagePublishBench.run(dir, bed, teardown, rounds);
        if (parts.contains("start")) NodeStartBench.run(dir, bed, teardown, starts);
      }
      if (parts.contains("memory")) UnderMemoryBench.run(sandbox, dir, teardown, starts);
      done = true;
    } finally {
      if (done) Os.deleteTree(dir);
      else System.err.println("csi bench: logs kept in " + dir);
    }
    System.out.println("(one run on a shared 2-core machine: compare rows, not runs)");
  }
}

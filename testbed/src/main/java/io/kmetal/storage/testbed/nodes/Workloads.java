package io.kmetal.storage.testbed.nodes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Workload pods and claims as a user of a sandbox with real nodes makes them: busybox (our image,
 * never pulled) running a shell script with a claim mounted at {@code /data}, as user 65532 with
 * that group owning the volume (the driver's {@code fsGroupPolicy}).
 */
public final class Workloads {
  /** The workload image {@code ./kmetal images all} builds and the nodes import. */
  public static final String BUSYBOX = "localhost/kmetal-storage/busybox:0.1.0";

  private Workloads() {}

  /** A ReadWriteOnce claim of {@code size} in {@code storageClass} (null: the default class). */
  public static PersistentVolumeClaim claim(
      String namespace, String name, String storageClass, String size) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(storageClass)
        .withNewResources()
        .addToRequests("storage", new Quantity(size))
        .endResources()
        .endSpec()
        .build();
  }

  /**
   * A pod running {@code script} with claim {@code claim} at {@code /data}; {@code node} (or null)
   * pins it through the scheduler (a node selector, so WaitForFirstConsumer claims learn it).
   */
  public static Pod pod(String namespace, String name, String claim, String node, String script) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(node == null ? Map.of() : Map.of("kubernetes.io/hostname", node))
        .withTerminationGracePeriodSeconds(1L)
        .withNewSecurityContext()
        .withRunAsUser(65532L)
        .withRunAsGroup(65532L)
        .withFsGroup(65532L)
        .endSecurityContext()
        .addNewContainer()
        .withName("app")
        .withImage(BUSYBOX)
        .withImagePullPolicy("Never")
        .withCommand("sh", "-c", script)
        .addNewVolumeMount()
        .withName("data")
        .withMountPath("/data")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .build();
  }

  /** Waits until the pod runs with every container ready; fails with its status otherwise. */
  public static Pod awaitRunning(KubernetesClient client, Pod pod, Duration timeout) {
    var resource = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name(pod));
    try {
      return resource.waitUntilCondition(Workloads::ready, timeout.toSeconds(), TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      Pod now = resource.get();
      throw new AssertionError(
          "pod "
              + name(pod)
              + " not running in "
              + timeout
              + ": "
              + (now == null ? "gone" : now.getStatus()),
          e);
    }
  }

  /** Waits until the pod's log contains {@code text}; returns the log. */
  public static String awaitLog(KubernetesClient client, Pod pod, String text, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String log = "";
    while (System.nanoTime() < deadline) {
      log =
          client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name(pod)).getLog();
      if (log != null && log.contains(text)) return log;
      Thread.sleep(500);
    }
    throw new AssertionError("pod " + name(pod) + " never logged '" + text + "'; its log:\n" + log);
  }

  /**
   * Every container of {@code pod} (native sidecars included) that has restarted, each with why:
   * its last termination (reason, exit code, when), the pod's warning events (failed probes, kills)
   * and the tail of its previous log. Empty when none restarted.
   */
  public static List<String> restarts(KubernetesClient client, Pod pod) {
    var statuses =
        Stream.concat(
                pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses().stream())
            .filter(c -> c.getRestartCount() > 0)
            .toList();
    if (statuses.isEmpty()) return List.of();
    String namespace = pod.getMetadata().getNamespace();
    String warnings =
        client.v1().events().inNamespace(namespace).list().getItems().stream()
            .filter(e -> name(pod).equals(e.getInvolvedObject().getName()))
            .filter(e -> "Warning".equals(e.getType()))
            .map(e -> "  event " + e.getReason() + ": " + e.getMessage())
            .collect(Collectors.joining("\n"));
    List<String> restarts = new ArrayList<>();
    for (ContainerStatus c : statuses) {
      var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
      String previous;
      try {
        previous =
            client
                .pods()
                .inNamespace(namespace)
                .withName(name(pod))
                .inContainer(c.getName())
                .terminated()
                .getLog();
        previous = tail(previous, 15);
      } catch (RuntimeException e) {
        previous = "(no previous log: " + e.getMessage() + ")";
      }
      restarts.add(
          name(pod)
              + "/"
              + c.getName()
              + " restarted "
              + c.getRestartCount()
              + "x; last exit: "
              + (last == null
                  ? "unknown"
                  : last.getReason()
                      + " code "
                      + last.getExitCode()
                      + " at "
                      + last.getFinishedAt())
              + "\n"
              + warnings
              + "\n  previous log:\n"
              + previous);
    }
    return restarts;
  }

  private static String tail(String log, int lines) {
    if (log == null) return "(none)";
    List<String> all = log.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  public static boolean ready(Pod pod) {
    return pod != null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getContainerStatuses() != null
        && !pod.getStatus().getContainerStatuses().isEmpty()
        && pod.getStatus().getContainerStatuses().stream()
            .allMatch(c -> Boolean.TRUE.equals(c.getReady()));
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}

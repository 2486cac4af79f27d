package io.kmetal.storage.testbed.volumes;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PersistentVolumes made by hand and bound, then released, by the real kube-controller-manager: a
 * volume pre-bound to a claim of the same name binds when the claim appears, and turns Released
 * (with its reclaim policy Retain) when the claim is deleted. Nothing is provisioned or mounted:
 * the volumes point at a host path no pod uses.
 */
public final class StaticVolumes {
  private static final Duration PHASE_WAIT = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final String namespace;

  public StaticVolumes(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** A 1Gi volume of {@code storageClass} and its claim {@code name}, once Bound. */
  public void bind(String name, String storageClass, String reclaimPolicy)
      throws InterruptedException {
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withPersistentVolumeReclaimPolicy(reclaimPolicy)
                .withNewHostPath()
                .withPath("/var/lib/kmetal-static-volumes/" + name)
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(namespace)
                .withName(name)
                .endClaimRef()
                .endSpec()
                .build())
        .create();
    client
        .persistentVolumeClaims()
        .inNamespace(namespace)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withVolumeName(name)
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .create();
    await(name, "Bound");
  }

  /** Deletes the claim of a bound volume and waits until the volume is Released. */
  public void release(String name) throws InterruptedException {
    client.persistentVolumeClaims().inNamespace(namespace).withName(name).delete();
    await(name, "Released");
  }

  /**
   * Backdates when the volume became Released, as the volume controller would have written it that
   * long ago ({@code status.lastPhaseTransitionTime}, which the controller sets only on a change of
   * phase).
   */
  public void releasedAgo(String name, Duration age) {
    PersistentVolume pv = client.persistentVolumes().withName(name).get();
    pv.getStatus().setLastPhaseTransitionTime(Instant.now().minus(age).toString());
    client.persistentVolumes().resource(pv).updateStatus();
  }

  /** The volume's phase, or null when it is gone. */
  public String phase(String name) {
    PersistentVolume pv = client.persistentVolumes().withName(name).get();
    return pv == null || pv.getStatus() == null ? null : pv.getStatus().getPhase();
  }

  private void await(String name, String phase) throws InterruptedException {
    long deadline = System.nanoTime() + PHASE_WAIT.toNanos();
    while (!phase.equals(phase(name))) {
      if (System.nanoTime() > deadline)
        throw new AssertionError(name + " never became " + phase + " (is " + phase(name) + ")");
      TimeUnit.MILLISECONDS.sleep(250);
    }
  }
}

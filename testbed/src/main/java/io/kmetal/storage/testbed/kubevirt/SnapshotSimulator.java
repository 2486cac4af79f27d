package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Plays the under cluster's snapshot controller and storage for VolumeSnapshots of a claim: a
 * sparse copy of the claim's image, then {@code readyToUse} with the restore size. Deleting the
 * VolumeSnapshot deletes the copy.
 */
final class SnapshotSimulator
    implements ResourceEventHandler<GenericKubernetesResource>, AutoCloseable {
  private final KubernetesClient under;
  private final LoopDisks disks;
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  SnapshotSimulator(KubernetesClient under, LoopDisks disks) {
    this.under = under;
    this.disks = disks;
    this.informer =
        under
            .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
            .inAnyNamespace()
            .inform(this, 2_000);
  }

  @Override
  public void onAdd(GenericKubernetesResource snapshot) {
    reconcile(snapshot);
  }

  @Override
  public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource snapshot) {
    reconcile(snapshot);
  }

  @Override
  public void onDelete(GenericKubernetesResource snapshot, boolean unknownFinalState) {
    try {
      Files.deleteIfExists(
          disks.snapshot(snapshot.getMetadata().getNamespace(), snapshot.getMetadata().getName()));
    } catch (IOException e) {
      System.err.println("kubevirt-sim snapshot: " + e.getMessage());
    }
  }

  private void reconcile(GenericKubernetesResource snapshot) {
    if ("true".equals(Kinds.string(snapshot, "status", "readyToUse"))) return;
    String ns = snapshot.getMetadata().getNamespace();
    String claim = Kinds.string(snapshot, "spec", "source", "persistentVolumeClaimName");
    if (claim == null) return;
    try {
      var pvc = under.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
      Path image = disks.image(ns, claim);
      if (pvc == null || !Files.exists(image)) {
        status(
            snapshot,
            Map.of(
                "readyToUse",
                false,
                "error",
                Map.of(
                    "message", "claim " + claim + " not found", "time", Instant.now().toString())));
        return;
      }
      Path copy = disks.snapshot(ns, snapshot.getMetadata().getName());
      if (!Files.exists(copy)) disks.copy(image, copy);
      status(
          snapshot,
          Map.of(
              "readyToUse",
              true,
              "creationTime",
              Instant.ofEpochMilli(Files.getLastModifiedTime(copy).toMillis()).toString(),
              "restoreSize",
              Long.toString(Files.size(copy)),
              "boundVolumeSnapshotContentName",
              "snapcontent-sim-" + snapshot.getMetadata().getUid()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) // 404: deleted meanwhile
      System.err.println("kubevirt-sim snapshot " + ns + "/" + claim + ": " + e.getMessage());
    } catch (IOException e) {
      System.err.println("kubevirt-sim snapshot " + ns + "/" + claim + ": " + e.getMessage());
    }
  }

  private void status(GenericKubernetesResource snapshot, Map<String, Object> status) {
    Kinds.onConflictRetry(
        () ->
            under
                .genericKubernetesResources(Kinds.VOLUME_SNAPSHOT)
                .inNamespace(snapshot.getMetadata().getNamespace())
                .withName(snapshot.getMetadata().getName())
                .editStatus(
                    s -> {
                      Kinds.map(s, "status").putAll(status);
                      return s;
                    }));
  }

  @Override
  public void close() {
    informer.close();
  }
}

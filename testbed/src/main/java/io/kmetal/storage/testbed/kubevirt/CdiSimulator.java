package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Plays CDI for blank, snapshot and clone DataVolumes: an image file of the requested size, a
 * PersistentVolume on it and a claim bound to it (the real quota admission counts the claim, with
 * CDI's filesystem overhead), then {@code Succeeded}. A larger request grows the image, the loop
 * devices on it and the claim's capacity; deleting the DataVolume removes all of it.
 */
final class CdiSimulator implements ResourceEventHandler<GenericKubernetesResource>, AutoCloseable {
  /** CDI's event and condition reason for a claim the namespace's ResourceQuota refused. */
  static final String ERR_EXCEEDED_QUOTA = "ErrExceededQuota";

  /** What CDI looks for in the API server's refusal to tell a quota from other errors. */
  static final String EXCEEDED_QUOTA = "exceeded quota:";

  /**
   * CDI's default global filesystem overhead; claims of Filesystem volumes are this much larger.
   */
  static final double FILESYSTEM_OVERHEAD = 0.055;

  private static final long MI = 1L << 20;

  /** The label of the PersistentVolumes this simulator made. */
  private static final String SIMULATED = "testbed.kmetal.io/cdi-simulator";

  private final KubernetesClient under;
  private final LoopDisks disks;
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  CdiSimulator(KubernetesClient under, LoopDisks disks) {
    this.under = under;
    this.disks = disks;
    this.informer =
        under.genericKubernetesResources(Kinds.DATA_VOLUME).inAnyNamespace().inform(this, 2_000);
    sweep();
  }

  /** Deletes the volumes of DataVolumes deleted while no simulator ran (found by their uid). */
  private void sweep() {
    for (PersistentVolume pv : under.persistentVolumes().withLabel(SIMULATED).list().getItems()) {
      var ref = pv.getSpec().getClaimRef();
      var dv =
          ref == null
              ? null
              : under
                  .genericKubernetesResources(Kinds.DATA_VOLUME)
                  .inNamespace(ref.getNamespace())
                  .withName(ref.getName())
                  .get();
      if (dv == null || !pvName(dv).equals(pv.getMetadata().getName()))
        under.persistentVolumes().resource(pv).delete();
    }
  }

  /** The claim size CDI asks for: aligned to 1 MiB, plus the filesystem overhead if any. */
  static long claimBytes(long requested, boolean block) {
    long aligned = (requested + MI - 1) / MI * MI;
    return block ? aligned : (long) Math.ceil(aligned / (1 - FILESYSTEM_OVERHEAD));
  }

  @Override
  public void onAdd(GenericKubernetesResource dv) {
    reconcile(dv);
  }

  @Override
  public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource dv) {
    reconcile(dv);
  }

  @Override
  public void onDelete(GenericKubernetesResource dv, boolean unknownFinalState) {
    String ns = dv.getMetadata().getNamespace();
    String name = dv.getMetadata().getName();
    try {
      under.persistentVolumeClaims().inNamespace(ns).withName(name).delete();
      under.persistentVolumes().withName(pvName(dv)).delete();
      Path image = disks.image(ns, name);
      if (!disks.inUse(image)) Files.deleteIfExists(image);
    } catch (IOException | KubernetesClientException e) {
      log(ns, name, "clean-up failed: " + e.getMessage());
    }
  }

  private void reconcile(GenericKubernetesResource dv) {
    if (dv.getMetadata().getDeletionTimestamp() != null) return;
    String ns = dv.getMetadata().getNamespace();
    String name = dv.getMetadata().getName();
    try {
      long bytes =
          new Quantity(Kinds.string(dv, "spec", "storage", "resources", "requests", "storage"))
              .getNumericalAmount()
              .longValue();
      boolean block = "Block".equals(Kinds.string(dv, "spec", "storage", "volumeMode"));
      Path image = disks.image(ns, name);
      if ("Succeeded".equals(Kinds.string(dv, "status", "phase"))) {
        grow(dv, image, bytes, block);
        return;
      }
      PersistentVolume pv = volume(dv, image, bytes, block);
      // CDI creates the claim first: a namespace quota refuses it before any volume exists
      try {
        var claim = claim(dv, pv);
        // Look before creating: the quota admission charges a create before the API server finds
        // the claim exists, and the charge stays until the quota controller's resync (5 min), as
        // it would for CDI. Reconciles run one at a time, so nothing creates it in between.
        if (under.persistentVolumeClaims().resource(claim).get() == null)
          createIfAbsent(() -> under.persistentVolumeClaims().resource(claim).create());
      } catch (KubernetesClientException e) {
        String message = e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
        if (e.getCode() != 403 || message == null || !message.contains(EXCEEDED_QUOTA)) throw e;
        exceededQuota(dv, message); // CDI retries with backoff; the DataVolume stays Pending
        return;
      }
      if (!Files.exists(image) && !populate(dv, image, bytes)) {
        claimMade(dv); // the source is not ready yet: CDI names the claim it made meanwhile
        return;
      }
      createIfAbsent(() -> under.persistentVolumes().resource(pv).create());
      succeeded(dv);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) log(ns, name, e.getMessage()); // 404: deleted meanwhile
    } catch (IOException | IllegalArgumentException e) {
      log(ns, name, e.getMessage());
    }
  }

  /** Fills a new image from the DataVolume's source; false when the source is not ready yet. */
  private boolean populate(GenericKubernetesResource dv, Path image, long bytes)
      throws IOException {
    String snapshot = Kinds.string(dv, "spec", "source", "snapshot", "name");
    String pvc = Kinds.string(dv, "spec", "source", "pvc", "name");
    if (snapshot != null) {
      Path from =
          disks.snapshot(Kinds.string(dv, "spec", "source", "snapshot", "namespace"), snapshot);
      if (!Files.exists(from)) return false;
      disks.copy(from, image);
    } else if (pvc != null) {
      Path from = disks.image(Kinds.string(dv, "spec", "source", "pvc", "namespace"), pvc);
      if (!Files.exists(from)) return false;
      disks.copy(from, image);
    } else {
      disks.create(image, bytes);
      return true;
    }
    disks.grow(image, bytes);
    return true;
  }

  private void grow(GenericKubernetesResource dv, Path image, long bytes, boolean block)
      throws IOException {
    if (!Files.exists(image) || Files.size(image) >= bytes) return;
    disks.grow(image, bytes);
    Quantity capacity = new Quantity(Long.toString(claimBytes(bytes, block)));
    String ns = dv.getMetadata().getNamespace();
    Kinds.onConflictRetry(
        () ->
            under
                .persistentVolumes()
                .withName(pvName(dv))
                .edit(
                    pv -> {
                      pv.getSpec().getCapacity().put("storage", capacity);
                      return pv;
                    }));
    Kinds.onConflictRetry(
        () ->
            under
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName(dv.getMetadata().getName())
                .editStatus(
                    pvc -> {
                      pvc.getStatus().getCapacity().put("storage", capacity);
                      return pvc;
                    }));
  }

  private static void createIfAbsent(Runnable create) {
    try {
      create.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
  }

  private static String pvName(GenericKubernetesResource dv) {
    return "cdi-sim-" + dv.getMetadata().getUid();
  }

  private static PersistentVolume volume(
      GenericKubernetesResource dv, Path image, long bytes, boolean block) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(pvName(dv))
        .addToLabels(SIMULATED, "true")
        .endMetadata()
        .withNewSpec()
        .addToCapacity("storage", new Quantity(Long.toString(claimBytes(bytes, block))))
        .withAccessModes(accessModes(dv))
        .withVolumeMode(block ? "Block" : "Filesystem")
        .withStorageClassName(Kinds.string(dv, "spec", "storage", "storageClassName"))
        .withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath()
        .withPath(image.toString())
        .endHostPath()
        .withNewClaimRef()
        .withNamespace(dv.getMetadata().getNamespace())
        .withName(dv.getMetadata().getName())
        .endClaimRef()
        .endSpec()
        .build();
  }

  private static PersistentVolumeClaim claim(GenericKubernetesResource dv, PersistentVolume pv) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(dv.getMetadata().getName())
        .withNamespace(dv.getMetadata().getNamespace())
        .withLabels(dv.getMetadata().getLabels())
        .addNewOwnerReference()
        .withApiVersion("cdi.kubevirt.io/v1beta1")
        .withKind("DataVolume")
        .withName(dv.getMetadata().getName())
        .withUid(dv.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withAccessModes(accessModes(dv))
        .withVolumeMode(pv.getSpec().getVolumeMode())
        .withStorageClassName(pv.getSpec().getStorageClassName())
        .withVolumeName(pv.getMetadata().getName())
        .withNewResources()
        .addToRequests("storage", pv.getSpec().getCapacity().get("storage"))
        .endResources()
        .endSpec()
        .build();
  }

  @SuppressWarnings("unchecked")
  private static List<String> accessModes(GenericKubernetesResource dv) {
    Object modes = Kinds.map(dv, "spec", "storage").get("accessModes");
    return modes instanceof List<?> l && !l.isEmpty() ? (List<String>) l : List.of("ReadWriteOnce");
  }

  /** Imported and bound: CDI's Succeeded, 100%, the claim named, no conditions kept. */
  private void succeeded(GenericKubernetesResource dv) {
    editStatus(
        dv,
        status -> {
          status.put("phase", "Succeeded");
          status.put("progress", "100.0%");
          status.put("claimName", dv.getMetadata().getName());
          status.remove("conditions");
        });
  }

  /** The claim exists, the volume not yet: CDI's Pending phase with {@code claimName} set. */
  private void claimMade(GenericKubernetesResource dv) {
    if (dv.getMetadata().getName().equals(Kinds.string(dv, "status", "claimName"))) return;
    editStatus(
        dv,
        status -> {
          status.put("phase", "Pending");
          status.put("claimName", dv.getMetadata().getName());
          status.remove("conditions");
        });
  }

  /**
   * What CDI's DataVolume controller records when the namespace's ResourceQuota refuses the claim
   * (its {@code ErrExceededQuota}): phase Pending, Bound and Ready False with that reason and the
   * API server's message, Running False; no claim name, no progress; a Warning event on the
   * DataVolume when the phase first changes.
   */
  private void exceededQuota(GenericKubernetesResource dv, String message) {
    boolean first = !"Pending".equals(Kinds.string(dv, "status", "phase"));
    editStatus(
        dv,
        status -> {
          status.put("phase", "Pending");
          status.remove("progress");
          status.remove("claimName");
          status.put(
              "conditions",
              List.of(
                  condition("Bound", ERR_EXCEEDED_QUOTA, message),
                  condition("Ready", ERR_EXCEEDED_QUOTA, message),
                  condition("Running", "", "")));
        });
    if (first) warning(dv, ERR_EXCEEDED_QUOTA, message);
  }

  /** Changes the DataVolume's status as the cluster holds it, retried on conflicts. */
  private void editStatus(
      GenericKubernetesResource dv, java.util.function.Consumer<Map<String, Object>> change) {
    Kinds.onConflictRetry(
        () ->
            under
                .genericKubernetesResources(Kinds.DATA_VOLUME)
                .inNamespace(dv.getMetadata().getNamespace())
                .withName(dv.getMetadata().getName())
                .editStatus(
                    d -> {
                      change.accept(Kinds.map(d, "status"));
                      return d;
                    }));
  }

  private static Map<String, Object> condition(String type, String reason, String message) {
    return Map.of("type", type, "status", "False", "reason", reason, "message", message);
  }

  private void warning(GenericKubernetesResource dv, String reason, String message) {
    String ns = dv.getMetadata().getNamespace();
    under
        .v1()
        .events()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata()
                .withGenerateName(dv.getMetadata().getName() + ".")
                .withNamespace(ns)
                .endMetadata()
                .withType("Warning")
                .withReason(reason)
                .withMessage(message)
                .withNewInvolvedObject()
                .withApiVersion(dv.getApiVersion())
                .withKind("DataVolume")
                .withNamespace(ns)
                .withName(dv.getMetadata().getName())
                .withUid(dv.getMetadata().getUid())
                .endInvolvedObject()
                .withNewSource()
                .withComponent("datavolume-import-controller")
                .endSource()
                .withCount(1)
                .build())
        .create();
  }

  private static void log(String ns, String name, String message) {
    System.err.println("kubevirt-sim cdi " + ns + "/" + name + ": " + message);
  }

  @Override
  public void close() {
    informer.close();
  }
}

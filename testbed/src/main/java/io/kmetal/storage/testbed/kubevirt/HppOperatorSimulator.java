package io.kmetal.storage.testbed.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the HostPathProvisioner operator of the under cluster, which cannot run here (its pods
 * mount a claim on every node): for a HostPathProvisioner CR it builds, after {@code buildTime},
 * one StorageClass per storage pool (its {@code overlayClassName}, owned by the CR so that deleting
 * the CR removes them) and then reports the CR {@code Available}, with {@code Progressing} and
 * {@code Degraded} false and each pool Ready, in the operator's status shape. Nothing else of the
 * operator (its DaemonSet, the CSI driver, the pools' claims) is simulated.
 */
public final class HppOperatorSimulator
    implements ResourceEventHandler<GenericKubernetesResource>, AutoCloseable {
  /** The CSI driver the operator deploys, the provisioner of every class it builds. */
  static final String DRIVER = "kubevirt.io.hostpath-provisioner";

  private final KubernetesClient under;
  private final Duration buildTime;
  private final ScheduledExecutorService builder = Executors.newSingleThreadScheduledExecutor();
  private final SharedIndexInformer<GenericKubernetesResource> informer;

  private HppOperatorSimulator(KubernetesClient under, Duration buildTime) {
    this.under = under;
    this.buildTime = buildTime;
    this.informer =
        under.genericKubernetesResources(Kinds.HOST_PATH_PROVISIONER).inform(this, 5_000);
  }

  /**
   * Serves the under cluster until closed; a CR is Available {@code buildTime} after it appears.
   */
  public static HppOperatorSimulator start(KubernetesClient under, Duration buildTime) {
    return new HppOperatorSimulator(under, buildTime);
  }

  @Override
  public void onAdd(GenericKubernetesResource cr) {
    schedule(cr);
  }

  @Override
  public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource cr) {
    schedule(cr);
  }

  @Override
  public void onDelete(GenericKubernetesResource cr, boolean unknownFinalState) {}

  private void schedule(GenericKubernetesResource cr) {
    if (available(cr)) return;
    builder.schedule(
        () -> build(cr.getMetadata().getName()), buildTime.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static boolean available(GenericKubernetesResource cr) {
    Object conditions = Kinds.map(cr, "status").get("conditions");
    return conditions instanceof List<?> list
        && list.stream()
            .anyMatch(
                c ->
                    c instanceof Map<?, ?> m
                        && "Available".equals(m.get("type"))
                        && "True".equals(m.get("status")));
  }

  private void build(String name) {
    try {
      var resource = under.genericKubernetesResources(Kinds.HOST_PATH_PROVISIONER).withName(name);
      GenericKubernetesResource cr = resource.get();
      if (cr == null || available(cr) || cr.getMetadata().getDeletionTimestamp() != null) return;
      List<Map<String, Object>> poolStatuses = new ArrayList<>();
      for (Object p : Kinds.list(Kinds.map(cr, "spec"), "storagePools")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> pool = (Map<String, Object>) p;
        String poolName = String.valueOf(pool.get("name"));
        Object overlayClass = pool.get("overlayClassName");
        if (overlayClass != null)
          under
              .storage()
              .v1()
              .storageClasses()
              .resource(overlayClass(cr, overlayClass.toString(), poolName))
              .createOr(c -> c.update());
        poolStatuses.add(
            Map.of("name", poolName, "phase", "Ready", "currentReady", 1, "desiredReady", 1));
      }
      Kinds.onConflictRetry(
          () ->
              resource.edit(
                  live -> {
                    live.setAdditionalProperty("status", status(poolStatuses));
                    return live;
                  }));
    } catch (KubernetesClientException e) {
      System.err.println("hpp-operator-sim: " + name + ": " + e.getMessage());
    }
  }

  private static StorageClass overlayClass(GenericKubernetesResource cr, String name, String pool) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(cr.getApiVersion())
                .withKind(cr.getKind())
                .withName(cr.getMetadata().getName())
                .withUid(cr.getMetadata().getUid())
                .build())
        .endMetadata()
        .withProvisioner(DRIVER)
        .withParameters(Map.of("storagePool", pool))
        .withReclaimPolicy("Delete")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .build();
  }

  private static Map<String, Object> status(List<Map<String, Object>> pools) {
    String now = Instant.now().toString();
    List<Map<String, Object>> conditions = new ArrayList<>();
    conditions.add(condition("Available", "True", "Complete", now));
    conditions.add(condition("Progressing", "False", "Complete", now));
    conditions.add(condition("Degraded", "False", "Complete", now));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("conditions", conditions);
    status.put("storagePoolStatuses", pools);
    return status;
  }

  private static Map<String, Object> condition(
      String type, String status, String reason, String now) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", status);
    c.put("reason", reason);
    c.put("lastTransitionTime", now);
    c.put("lastHeartbeatTime", now);
    return c;
  }

  @Override
  public void close() {
    informer.close();
    builder.shutdownNow();
  }
}

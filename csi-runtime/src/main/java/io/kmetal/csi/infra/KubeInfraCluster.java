package io.kmetal.csi.infra;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link InfraCluster} over the under cluster's API server with fabric8: the one place that knows
 * the objects' JSON shape (CDI v1beta1 DataVolumes, KubeVirt v1 VMs and instances and their
 * subresources, snapshot.storage.k8s.io v1 VolumeSnapshots). fabric8 stays behind it: each request
 * goes through {@link #api}, so its failures leave as {@link ApiError}.
 */
public final class KubeInfraCluster implements InfraCluster {
  public static final ResourceDefinitionContext DATA_VOLUME =
      kind("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes");
  public static final ResourceDefinitionContext VOLUME_SNAPSHOT =
      kind("snapshot.storage.k8s.io", "v1", "VolumeSnapshot", "volumesnapshots");
  static final ResourceDefinitionContext VM =
      kind("kubevirt.io", "v1", "VirtualMachine", "virtualmachines");
  static final ResourceDefinitionContext VMI =
      kind("kubevirt.io", "v1", "VirtualMachineInstance", "virtualmachineinstances");

  private final KubernetesClient client;
  private final String namespace;

  /** The namespace's DataVolumes as a watch keeps them; started by the first wait. */
  private SharedIndexInformer<GenericKubernetesResource> dataVolumeCache;

  private final Object dataVolumesChanged = new Object();

  public KubeInfraCluster(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public Optional<DataVolume> dataVolume(String name) {
    return api(() -> get(DATA_VOLUME, name)).map(KubeInfraCluster::dataVolume);
  }

  @Override
  public List<DataVolume> dataVolumes(Map<String, String> labels) {
    return api(() -> list(DATA_VOLUME, labels)).stream().map(KubeInfraCluster::dataVolume).toList();
  }

  @Override
  public boolean create(DataVolume volume) {
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("accessModes", List.of(volume.accessMode()));
    storage.put("volumeMode", volume.block() ? "Block" : "Filesystem");
    storage.put("resources", Map.of("requests", Map.of("storage", Long.toString(volume.bytes()))));
    if (volume.storageClass() != null && !volume.storageClass().isEmpty())
      storage.put("storageClassName", volume.storageClass());
    Map<String, Object> spec = Map.of("source", sourceSpec(volume.source()), "storage", storage);
    try {
      client
          .genericKubernetesResources(DATA_VOLUME)
          .resource(object(DATA_VOLUME, volume.name(), volume.labels(), spec))
          .create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw error(e);
      return false;
    }
  }

  @Override
  public Optional<DataVolume> awaitDataVolume(
      String name, Predicate<Optional<DataVolume>> until, Duration timeout)
      throws InterruptedException {
    var store = api(this::dataVolumeCache).getStore();
    String key = namespace + "/" + name;
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (dataVolumesChanged) {
      while (true) {
        Optional<DataVolume> dv =
            Optional.ofNullable(store.getByKey(key)).map(KubeInfraCluster::dataVolume);
        long left = deadline - System.nanoTime();
        if (until.test(dv) || left <= 0) return dv;
        dataVolumesChanged.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private synchronized SharedIndexInformer<GenericKubernetesResource> dataVolumeCache() {
    if (dataVolumeCache == null)
      dataVolumeCache =
          client
              .genericKubernetesResources(DATA_VOLUME)
              .inNamespace(namespace)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource dv) {
                      changed();
                    }

                    @Override
                    public void onUpdate(
                        GenericKubernetesResource before, GenericKubernetesResource after) {
                      changed();
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource dv, boolean unknownFinal) {
                      changed();
                    }
                  });
    return dataVolumeCache;
  }

  private void changed() {
    synchronized (dataVolumesChanged) {
      dataVolumesChanged.notifyAll();
    }
  }

  @Override
  public void resize(String dataVolume, long bytes) {
    // a merge patch of the one field: CDI's status updates never make it conflict
    api(
        () ->
            named(DATA_VOLUME, dataVolume)
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"storage\":{\"resources\":{\"requests\":{\"storage\":\""
                        + bytes
                        + "\"}}}}}"));
  }

  @Override
  public void deleteDataVolume(String name) {
    api(() -> named(DATA_VOLUME, name).delete());
  }

  @Override
  public Optional<VirtualMachine> vm(String name) {
    return api(() -> get(VM, name))
        .map(
            vm ->
                new VirtualMachine(
                    name, labels(vm), names(vm.get("spec", "template", "spec", "volumes"))));
  }

  @Override
  public Optional<VirtualMachineInstance> vmi(String name) {
    return api(() -> get(VMI, name)).map(KubeInfraCluster::vmi);
  }

  @Override
  public List<VirtualMachineInstance> vmis(Map<String, String> labels) {
    return api(() -> list(VMI, labels)).stream().map(KubeInfraCluster::vmi).toList();
  }

  @Override
  public boolean addVolume(String vm, Hotplug plug) {
    var target =
        plug.readOnly() ? Map.of("bus", plug.bus(), "readonly", true) : Map.of("bus", plug.bus());
    var options =
        Map.of(
            "name", plug.volume(),
            "disk", Map.of("name", plug.volume(), "serial", plug.serial(), "disk", target),
            "volumeSource",
                Map.of("dataVolume", Map.of("name", plug.volume(), "hotpluggable", true)));
    return put("virtualmachines", vm, "addvolume", options, "already exists");
  }

  @Override
  public void removeVolume(String name, String volume, boolean fromVm) {
    put(
        fromVm ? "virtualmachines" : "virtualmachineinstances",
        name,
        "removevolume",
        Map.of("name", volume),
        "does not exist");
  }

  @Override
  public void awaitVmi(
      String name, Predicate<Optional<VirtualMachineInstance>> until, Duration timeout)
      throws TimeoutException {
    try {
      named(VMI, name)
          .waitUntilCondition(
              vmi -> until.test(Optional.ofNullable(vmi).map(KubeInfraCluster::vmi)),
              Math.max(1, timeout.toMillis()),
              TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new TimeoutException(e.getMessage());
    } catch (KubernetesClientException e) {
      throw error(e);
    }
  }

  @Override
  public Optional<VolumeSnapshot> snapshot(String name) {
    return api(() -> get(VOLUME_SNAPSHOT, name)).map(KubeInfraCluster::snapshot);
  }

  @Override
  public List<VolumeSnapshot> snapshots(Map<String, String> labels) {
    return api(() -> list(VOLUME_SNAPSHOT, labels)).stream()
        .map(KubeInfraCluster::snapshot)
        .toList();
  }

  @Override
  public void create(VolumeSnapshot snapshot) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("source", Map.of("persistentVolumeClaimName", snapshot.claim()));
    if (snapshot.snapshotClass() != null && !snapshot.snapshotClass().isEmpty())
      spec.put("volumeSnapshotClassName", snapshot.snapshotClass());
    try {
      client
          .genericKubernetesResources(VOLUME_SNAPSHOT)
          .resource(object(VOLUME_SNAPSHOT, snapshot.name(), snapshot.labels(), spec))
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("exceeded quota"))
        throw new QuotaExceeded(message(e));
      if (e.getCode() != 409) throw error(e);
    }
  }

  @Override
  public void deleteSnapshot(String name) {
    api(() -> named(VOLUME_SNAPSHOT, name).delete());
  }

  /** The DataVolume {@code dv} says. */
  public static DataVolume dataVolume(GenericKubernetesResource dv) {
    List<Map<String, Object>> conditions = dv.get("status", "conditions");
    List<String> modes = dv.get("spec", "storage", "accessModes");
    return new DataVolume(
        dv.getMetadata().getName(),
        labels(dv),
        bytes(dv.get("spec", "storage", "resources", "requests", "storage")),
        dv.get("spec", "storage", "storageClassName"),
        modes == null || modes.isEmpty() ? null : modes.get(0),
        "Block".equals(dv.get("spec", "storage", "volumeMode")),
        source(dv),
        dv.get("status", "phase"),
        conditions == null
            ? List.of()
            : conditions.stream()
                .map(
                    c ->
                        new DataVolume.Condition(
                            text(c.get("type")),
                            text(c.get("status")),
                            text(c.get("reason")),
                            text(c.get("message"))))
                .toList(),
        dv.get("status", "claimName"));
  }

  private static DataVolume.Source source(GenericKubernetesResource dv) {
    if (dv.get("spec", "source", "snapshot") != null)
      return new DataVolume.Source(
          DataVolume.Source.Kind.SNAPSHOT, dv.get("spec", "source", "snapshot", "name"));
    if (dv.get("spec", "source", "pvc") != null)
      return new DataVolume.Source(
          DataVolume.Source.Kind.PVC, dv.get("spec", "source", "pvc", "name"));
    return DataVolume.Source.BLANK;
  }

  /** A DataVolume's {@code spec.source}: a snapshot or claim of this namespace. */
  private Map<String, Object> sourceSpec(DataVolume.Source source) {
    return switch (source.kind()) {
      case BLANK -> Map.of("blank", Map.of());
      case SNAPSHOT -> Map.of("snapshot", Map.of("namespace", namespace, "name", source.name()));
      case PVC -> Map.of("pvc", Map.of("namespace", namespace, "name", source.name()));
    };
  }

  static VirtualMachineInstance vmi(GenericKubernetesResource vmi) {
    List<Map<String, Object>> disks = vmi.get("spec", "domain", "devices", "disks");
    List<Map<String, Object>> statuses = vmi.get("status", "volumeStatus");
    return new VirtualMachineInstance(
        vmi.getMetadata().getName(),
        labels(vmi),
        names(vmi.get("spec", "volumes")),
        disks == null
            ? List.of()
            : disks.stream()
                .map(
                    d ->
                        new VirtualMachineInstance.Disk(
                            text(d.get("name")),
                            d.get("serial") instanceof String s ? s : null,
                            d.get("disk") instanceof Map<?, ?> disk
                                && Boolean.TRUE.equals(disk.get("readonly"))))
                .toList(),
        statuses == null
            ? List.of()
            : statuses.stream()
                .map(
                    s ->
                        new VirtualMachineInstance.VolumeStatus(
                            text(s.get("name")),
                            text(s.get("phase")),
                            Objects.toString(s.get("message"), "")))
                .toList());
  }

  static VolumeSnapshot snapshot(GenericKubernetesResource vs) {
    Object size = vs.get("status", "restoreSize");
    Object taken = vs.get("status", "creationTime");
    return new VolumeSnapshot(
        vs.getMetadata().getName(),
        labels(vs),
        vs.get("spec", "source", "persistentVolumeClaimName"),
        vs.get("spec", "volumeSnapshotClassName"),
        size == null ? 0 : bytes(size),
        Boolean.TRUE.equals(vs.get("status", "readyToUse")),
        Instant.parse(taken != null ? taken.toString() : vs.getMetadata().getCreationTimestamp()));
  }

  /**
   * PUTs a KubeVirt subresource. False when the object is not there; {@code doneWhen} in a conflict
   * means it is done already; KubeVirt's other refusals are {@link Refused}.
   */
  private boolean put(
      String resource, String name, String subresource, Object options, String doneWhen) {
    String url =
        client.getMasterUrl().toString().replaceAll("/+$", "")
            + "/apis/subresources.kubevirt.io/v1/namespaces/%s/%s/%s/%s"
                .formatted(namespace, resource, name, subresource);
    try {
      return client.raw(url, "PUT", options) != null;
    } catch (KubernetesClientException e) {
      String message = message(e);
      if (e.getCode() == 409 && message.contains(doneWhen)) return true;
      if (e.getCode() == 400 || e.getCode() == 409 || e.getCode() == 422)
        throw new Refused(
            "KubeVirt refused " + subresource + " of " + resource + "/" + name + ": " + message);
      throw error(e);
    }
  }

  /** One request to the API server, whose failure leaves as {@link ApiError}. */
  private static <T> T api(Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw error(e);
    }
  }

  /**
   * fabric8's failure as the port's: the status and the API server's message, or, when no answer
   * came (fabric8's code is then -1), status 0 and why not.
   */
  static ApiError error(KubernetesClientException e) {
    if (e.getCode() > 0) return new ApiError(e.getCode(), message(e), e);
    List<String> causes = new ArrayList<>();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause())
      causes.add(
          cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
    return new ApiError(0, e.getMessage() + " (" + String.join(": ", causes) + ")", e);
  }

  private static String message(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
  }

  private Optional<GenericKubernetesResource> get(ResourceDefinitionContext kind, String name) {
    return Optional.ofNullable(named(kind, name).get());
  }

  private io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> named(
      ResourceDefinitionContext kind, String name) {
    return client.genericKubernetesResources(kind).inNamespace(namespace).withName(name);
  }

  private List<GenericKubernetesResource> list(
      ResourceDefinitionContext kind, Map<String, String> labels) {
    return client
        .genericKubernetesResources(kind)
        .inNamespace(namespace)
        .withLabels(labels)
        .list()
        .getItems();
  }

  private GenericKubernetesResource object(
      ResourceDefinitionContext type,
      String name,
      Map<String, String> labels,
      Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(type.getGroup() + "/" + type.getVersion())
        .withKind(type.getKind())
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .addToAdditionalProperties("spec", spec)
        .build();
  }

  private static Map<String, String> labels(GenericKubernetesResource object) {
    var labels = object.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static List<String> names(Object list) {
    if (!(list instanceof List<?> items)) return List.of();
    return items.stream()
        .filter(Map.class::isInstance)
        .map(item -> text(((Map<?, ?>) item).get("name")))
        .toList();
  }

  private static long bytes(Object quantity) {
    return new Quantity(String.valueOf(quantity)).getNumericalAmount().longValueExact();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static ResourceDefinitionContext kind(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}

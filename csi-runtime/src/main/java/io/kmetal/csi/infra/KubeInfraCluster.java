package io.kmetal.csi.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmetal.csi.kube.KubeClient;
import io.kmetal.csi.kube.Quantities;
import io.kmetal.csi.kube.Watched;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * {@link InfraCluster} over the under cluster's API server: the one place that knows the objects'
 * JSON shape (CDI v1beta1 DataVolumes, KubeVirt v1 VMs and instances and their subresources,
 * snapshot.storage.k8s.io v1 VolumeSnapshots). Each request goes through {@link #api}, so its
 * failures leave as {@link ApiError}.
 */
public final class KubeInfraCluster implements InfraCluster {
  static final String DATA_VOLUMES = "/apis/cdi.kubevirt.io/v1beta1/namespaces/%s/datavolumes";
  static final String VOLUME_SNAPSHOTS =
      "/apis/snapshot.storage.k8s.io/v1/namespaces/%s/volumesnapshots";
  static final String VMS = "/apis/kubevirt.io/v1/namespaces/%s/virtualmachines";
  static final String VMIS = "/apis/kubevirt.io/v1/namespaces/%s/virtualmachineinstances";
  static final String SUBRESOURCES = "/apis/subresources.kubevirt.io/v1/namespaces/%s/%s/%s/%s";

  private final KubeClient client;
  private final String namespace;

  /** The namespace's DataVolumes as a watch keeps them; started by the first wait. */
  private Watched dataVolumeCache;

  private final Object dataVolumesChanged = new Object();

  public KubeInfraCluster(KubeClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public Optional<DataVolume> dataVolume(String name) {
    return api(() -> client.get(path(DATA_VOLUMES, name))).map(KubeInfraCluster::dataVolume);
  }

  @Override
  public List<DataVolume> dataVolumes(Map<String, String> labels) {
    return items(api(() -> client.list(path(DATA_VOLUMES), labels)))
        .map(KubeInfraCluster::dataVolume)
        .toList();
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
      client.create(
          path(DATA_VOLUMES),
          object("cdi.kubevirt.io/v1beta1", "DataVolume", volume.name(), volume.labels(), spec));
      return true;
    } catch (KubeClient.Failure e) {
      if (e.status() != 409) throw error(e);
      return false;
    }
  }

  @Override
  public Optional<DataVolume> awaitDataVolume(
      String name, Predicate<Optional<DataVolume>> until, Duration timeout)
      throws InterruptedException {
    Watched store = api(this::dataVolumeCache);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (dataVolumesChanged) {
      while (true) {
        Optional<DataVolume> dv = store.get(name).map(KubeInfraCluster::dataVolume);
        long left = deadline - System.nanoTime();
        if (until.test(dv) || left <= 0) return dv;
        dataVolumesChanged.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private synchronized Watched dataVolumeCache() {
    if (dataVolumeCache == null)
      dataVolumeCache = client.watch(path(DATA_VOLUMES), null, this::changed);
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
            client.mergePatch(
                path(DATA_VOLUMES, dataVolume),
                Map.of(
                    "spec",
                    Map.of(
                        "storage",
                        Map.of("resources", Map.of("requests", Map.of("storage", "" + bytes)))))));
  }

  @Override
  public void deleteDataVolume(String name) {
    api(() -> client.delete(path(DATA_VOLUMES, name), null));
  }

  @Override
  public Optional<VirtualMachine> vm(String name) {
    return api(() -> client.get(path(VMS, name)))
        .map(
            vm ->
                new VirtualMachine(
                    name, labels(vm), names(vm.path("spec").path("template").path("spec"))));
  }

  @Override
  public Optional<VirtualMachineInstance> vmi(String name) {
    return api(() -> client.get(path(VMIS, name))).map(KubeInfraCluster::vmi);
  }

  @Override
  public List<VirtualMachineInstance> vmis(Map<String, String> labels) {
    return items(api(() -> client.list(path(VMIS), labels))).map(KubeInfraCluster::vmi).toList();
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
    Object changed = new Object();
    long deadline = System.nanoTime() + Math.max(1, timeout.toNanos());
    try (Watched vmis =
        api(
            () ->
                client.watch(
                    path(VMIS),
                    "metadata.name=" + name,
                    () -> {
                      synchronized (changed) {
                        changed.notifyAll();
                      }
                    }))) {
      synchronized (changed) {
        while (true) {
          Optional<VirtualMachineInstance> vmi = vmis.get(name).map(KubeInfraCluster::vmi);
          if (until.test(vmi)) return;
          long left = deadline - System.nanoTime();
          if (left <= 0)
            throw new TimeoutException(
                "instance " + name + " not as awaited after " + timeout.toMillis() + " ms");
          changed.wait(Math.max(1, left / 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted while waiting for instance " + name);
    }
  }

  @Override
  public Optional<VolumeSnapshot> snapshot(String name) {
    return api(() -> client.get(path(VOLUME_SNAPSHOTS, name))).map(KubeInfraCluster::snapshot);
  }

  @Override
  public List<VolumeSnapshot> snapshots(Map<String, String> labels) {
    return items(api(() -> client.list(path(VOLUME_SNAPSHOTS), labels)))
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
      client.create(
          path(VOLUME_SNAPSHOTS),
          object(
              "snapshot.storage.k8s.io/v1",
              "VolumeSnapshot",
              snapshot.name(),
              snapshot.labels(),
              spec));
    } catch (KubeClient.Failure e) {
      if (e.status() == 403 && String.valueOf(e.getMessage()).contains("exceeded quota"))
        throw new QuotaExceeded(e.getMessage());
      if (e.status() != 409) throw error(e);
    }
  }

  @Override
  public void deleteSnapshot(String name) {
    api(() -> client.delete(path(VOLUME_SNAPSHOTS, name), null));
  }

  /** The DataVolume {@code dv} says. */
  public static DataVolume dataVolume(JsonNode dv) {
    JsonNode storage = dv.path("spec").path("storage");
    JsonNode status = dv.path("status");
    JsonNode modes = storage.path("accessModes");
    return new DataVolume(
        name(dv),
        labels(dv),
        bytes(storage.path("resources").path("requests").path("storage")),
        text(storage.path("storageClassName")),
        modes.isEmpty() ? null : modes.get(0).asText(),
        "Block".equals(storage.path("volumeMode").asText()),
        source(dv.path("spec").path("source")),
        text(status.path("phase")),
        stream(status.path("conditions"))
            .map(
                c ->
                    new DataVolume.Condition(
                        text(c.path("type")),
                        text(c.path("status")),
                        text(c.path("reason")),
                        text(c.path("message"))))
            .toList(),
        text(status.path("claimName")));
  }

  private static DataVolume.Source source(JsonNode source) {
    if (source.has("snapshot"))
      return new DataVolume.Source(
          DataVolume.Source.Kind.SNAPSHOT, text(source.path("snapshot").path("name")));
    if (source.has("pvc"))
      return new DataVolume.Source(
          DataVolume.Source.Kind.PVC, text(source.path("pvc").path("name")));
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

  static VirtualMachineInstance vmi(JsonNode vmi) {
    return new VirtualMachineInstance(
        name(vmi),
        labels(vmi),
        names(vmi.path("spec")),
        stream(vmi.path("spec").path("domain").path("devices").path("disks"))
            .map(
                d ->
                    new VirtualMachineInstance.Disk(
                        text(d.path("name")),
                        d.path("serial").isTextual() ? d.path("serial").asText() : null,
                        d.path("disk").path("readonly").asBoolean(false)))
            .toList(),
        stream(vmi.path("status").path("volumeStatus"))
            .map(
                s ->
                    new VirtualMachineInstance.VolumeStatus(
                        text(s.path("name")), text(s.path("phase")), s.path("message").asText("")))
            .toList());
  }

  static VolumeSnapshot snapshot(JsonNode vs) {
    JsonNode status = vs.path("status");
    JsonNode taken = status.path("creationTime");
    return new VolumeSnapshot(
        name(vs),
        labels(vs),
        text(vs.path("spec").path("source").path("persistentVolumeClaimName")),
        text(vs.path("spec").path("volumeSnapshotClassName")),
        status.hasNonNull("restoreSize") ? bytes(status.path("restoreSize")) : 0,
        status.path("readyToUse").asBoolean(false),
        Instant.parse(
            taken.isTextual()
                ? taken.asText()
                : vs.path("metadata").path("creationTimestamp").asText()));
  }

  /**
   * PUTs a KubeVirt subresource. False when the object is not there; {@code doneWhen} in a conflict
   * means it is done already; KubeVirt's other refusals are {@link Refused}.
   */
  private boolean put(
      String resource, String name, String subresource, Object options, String doneWhen) {
    try {
      client.put(SUBRESOURCES.formatted(namespace, resource, name, subresource), options);
      return true;
    } catch (KubeClient.Failure e) {
      if (e.status() == 404) return false;
      if (e.status() == 409 && e.getMessage().contains(doneWhen)) return true;
      if (e.status() == 400 || e.status() == 409 || e.status() == 422)
        throw new Refused(
            "KubeVirt refused "
                + subresource
                + " of "
                + resource
                + "/"
                + name
                + ": "
                + e.getMessage());
      throw error(e);
    }
  }

  /** One request to the API server, whose failure leaves as {@link ApiError}. */
  private static <T> T api(Supplier<T> request) {
    try {
      return request.get();
    } catch (KubeClient.Failure e) {
      throw error(e);
    }
  }

  /** The client's failure as the port's: the status (0: no answer) and the API server's message. */
  static ApiError error(KubeClient.Failure e) {
    return new ApiError(e.status(), e.getMessage(), e);
  }

  private String path(String collection) {
    return collection.formatted(namespace);
  }

  private String path(String collection, String name) {
    return path(collection) + "/" + name;
  }

  private Map<String, Object> object(
      String apiVersion,
      String kind,
      String name,
      Map<String, String> labels,
      Map<String, Object> spec) {
    return Map.of(
        "apiVersion",
        apiVersion,
        "kind",
        kind,
        "metadata",
        Map.of("name", name, "namespace", namespace, "labels", labels),
        "spec",
        spec);
  }

  private static Stream<JsonNode> items(JsonNode list) {
    return stream(list.path("items"));
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new TreeMap<>();
    object
        .path("metadata")
        .path("labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** The names of a spec's {@code volumes}. */
  private static List<String> names(JsonNode spec) {
    return stream(spec.path("volumes"))
        .filter(JsonNode::isObject)
        .map(v -> text(v.path("name")))
        .toList();
  }

  private static long bytes(JsonNode quantity) {
    return Quantities.bytes(quantity.asText());
  }

  private static String text(JsonNode value) {
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }
}

package io.kmetal.storage.testbed.kubevirt;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What KubeVirt does for {@code addvolume}/{@code removevolume}: the request edits the VM's
 * template (or only the VMI), and then, asynchronously as virt-handler would, the disk is plugged
 * into the running VMI (a loop device with the volume's serial) and the VMI reports it {@code
 * Ready} in {@code status.volumeStatus}; removal unplugs it and drops the status.
 */
final class HotPlug implements VirtApi.Volumes, AutoCloseable {
  private final KubernetesClient under;
  private final LoopDisks disks;
  private final ExecutorService handler = Executors.newSingleThreadExecutor();

  HotPlug(KubernetesClient under, LoopDisks disks) {
    this.under = under;
    this.disks = disks;
  }

  @Override
  public VirtApi.Reply add(String ns, boolean vm, String name, JsonNode options) {
    String volume = options.path("name").asText();
    JsonNode source = options.path("volumeSource");
    String claim =
        source
            .path("dataVolume")
            .path("name")
            .asText(source.path("persistentVolumeClaim").path("claimName").asText(""));
    if (claim.isEmpty())
      return new VirtApi.Reply(
          400,
          "BadRequest",
          "volumeSource needs dataVolume.name or " + "persistentVolumeClaim.claimName");
    String serial = options.path("disk").path("serial").asText(volume);
    String bus = options.path("disk").path("disk").path("bus").asText("scsi");
    boolean readOnly = options.path("disk").path("disk").path("readonly").asBoolean(false);
    Map<String, Object> volumeEntry = new LinkedHashMap<>();
    volumeEntry.put("name", volume);
    volumeEntry.put("dataVolume", Map.of("name", claim, "hotpluggable", true));
    Map<String, Object> diskEntry =
        Map.of(
            "name",
            volume,
            "serial",
            serial,
            "disk",
            readOnly ? Map.of("bus", bus, "readonly", true) : Map.of("bus", bus));
    if (vm) {
      var reply = editSpec(Kinds.VM, ns, name, true, spec -> addTo(spec, volumeEntry, diskEntry));
      if (reply != null) return reply;
    }
    var reply = editSpec(Kinds.VMI, ns, name, false, spec -> addTo(spec, volumeEntry, diskEntry));
    if (reply != null && (!vm || reply.code() != 404)) return reply;
    if (reply == null) handler.execute(() -> plug(ns, name, volume, serial, claim, readOnly));
    return VirtApi.Reply.ACCEPTED;
  }

  @Override
  public VirtApi.Reply remove(String ns, boolean vm, String name, String volume) {
    if (vm) {
      var reply = editSpec(Kinds.VM, ns, name, true, spec -> removeFrom(spec, volume));
      if (reply != null) return reply;
    }
    var reply = editSpec(Kinds.VMI, ns, name, false, spec -> removeFrom(spec, volume));
    if (reply != null && (!vm || reply.code() != 404)) return reply;
    if (reply == null) handler.execute(() -> unplug(ns, name, volume));
    return VirtApi.Reply.ACCEPTED;
  }

  /** Edits the spec (the template's for a VM); null when done, else the error to answer. */
  private VirtApi.Reply editSpec(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind,
      String ns,
      String name,
      boolean template,
      java.util.function.Function<Map<String, Object>, String> change) {
    var resource = under.genericKubernetesResources(kind).inNamespace(ns).withName(name);
    if (resource.get() == null)
      return new VirtApi.Reply(
          404, "NotFound", kind.getKind() + " " + ns + "/" + name + " not found");
    String[] problem = new String[1];
    Kinds.onConflictRetry(
        () ->
            resource.edit(
                o -> {
                  Map<String, Object> spec =
                      template ? Kinds.map(o, "spec", "template", "spec") : Kinds.map(o, "spec");
                  problem[0] = change.apply(spec);
                  return o;
                }));
    return problem[0] == null ? null : new VirtApi.Reply(400, "BadRequest", problem[0]);
  }

  private static String addTo(
      Map<String, Object> spec, Map<String, Object> volume, Map<String, Object> disk) {
    var volumes = Kinds.list(spec, "volumes");
    if (volumes.stream().anyMatch(v -> volume.get("name").equals(v.get("name"))))
      return null; // KubeVirt accepts the same request again
    volumes.add(volume);
    @SuppressWarnings("unchecked")
    Map<String, Object> domain =
        (Map<String, Object>)
            spec.computeIfAbsent("domain", k -> new LinkedHashMap<String, Object>());
    @SuppressWarnings("unchecked")
    Map<String, Object> devices =
        (Map<String, Object>)
            domain.computeIfAbsent("devices", k -> new LinkedHashMap<String, Object>());
    Kinds.list(devices, "disks").add(disk);
    return null;
  }

  @SuppressWarnings("unchecked")
  private static String removeFrom(Map<String, Object> spec, String volume) {
    var volumes = Kinds.list(spec, "volumes");
    if (volumes.stream().noneMatch(v -> volume.equals(v.get("name"))))
      return "Unable to remove volume [" + volume + "] because it does not exist";
    volumes.removeIf(v -> volume.equals(v.get("name")));
    Map<String, Object> devices =
        (Map<String, Object>)
            ((Map<String, Object>) spec.getOrDefault("domain", Map.of()))
                .getOrDefault("devices", Map.of());
    if (devices.get("disks") instanceof List<?> disks)
      ((List<Map<String, Object>>) disks).removeIf(d -> volume.equals(d.get("name")));
    return null;
  }

  /** virt-handler's part: the disk appears in the guest, then the VMI says so. */
  private void plug(
      String ns, String vmi, String volume, String serial, String claim, boolean readOnly) {
    var current = under.genericKubernetesResources(Kinds.VMI).inNamespace(ns).withName(vmi).get();
    if (current == null
        || Kinds.list(Kinds.map(current, "spec"), "volumes").stream()
            .noneMatch(v -> volume.equals(v.get("name")))) return; // unplugged meanwhile
    String phase;
    String message;
    try {
      var pvc = under.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
      if (pvc == null || pvc.getSpec().getVolumeName() == null)
        throw new IOException("claim " + claim + " is not bound");
      var pv = under.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
      String device =
          disks.attach(vmi, serial, Path.of(pv.getSpec().getHostPath().getPath()), readOnly);
      phase = "Ready";
      message = "Successfully attach hotplugged volume " + volume + " to VM (" + device + ")";
    } catch (IOException | KubernetesClientException | NullPointerException e) {
      phase = "Pending";
      message = "hot-plug of " + volume + " failed: " + e.getMessage();
      handler.execute(() -> retryLater(() -> plug(ns, vmi, volume, serial, claim, readOnly)));
    }
    setStatus(ns, vmi, volume, phase, message);
  }

  private void unplug(String ns, String vmi, String volume) {
    String serial = volume;
    try {
      disks.detach(vmi, serial);
    } catch (IOException e) {
      System.err.println("kubevirt-sim unplug " + volume + ": " + e.getMessage());
    }
    setStatus(ns, vmi, volume, null, null);
  }

  private void setStatus(String ns, String vmi, String volume, String phase, String message) {
    try {
      Kinds.onConflictRetry(
          () ->
              under
                  .genericKubernetesResources(Kinds.VMI)
                  .inNamespace(ns)
                  .withName(vmi)
                  .edit(
                      o -> {
                        var statuses = Kinds.list(Kinds.map(o, "status"), "volumeStatus");
                        statuses.removeIf(s -> volume.equals(s.get("name")));
                        if (phase != null) {
                          Map<String, Object> s = new LinkedHashMap<>();
                          s.put("name", volume);
                          s.put("target", "");
                          s.put("phase", phase);
                          s.put("reason", phase.equals("Ready") ? "VolumeReady" : "VolumePending");
                          s.put("message", message);
                          s.put("hotplugVolume", Map.of("attachPodName", "hp-volume-" + vmi));
                          statuses.add(s);
                        }
                        return o;
                      }));
    } catch (KubernetesClientException e) {
      System.err.println("kubevirt-sim vmi " + ns + "/" + vmi + ": " + e.getMessage());
    }
  }

  private static void retryLater(Runnable work) {
    try {
      TimeUnit.MILLISECONDS.sleep(500);
      work.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    handler.shutdownNow();
  }
}

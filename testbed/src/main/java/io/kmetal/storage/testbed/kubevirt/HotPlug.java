package io.kmetal.storage.testbed.kubevirt;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What KubeVirt v1.9 does for {@code addvolume}/{@code removevolume} (the rules in {@link
 * HotplugRules}): a request to a VM edits only its template, and then, asynchronously, the VM
 * controller carries the template's hot-plugged volumes over to the running VMI; a request to a VMI
 * edits the VMI alone, and only when no VM owns it (or HotplugVolumes is on). virt-handler's part
 * follows: the VMI's volume status goes Pending → Bound → AttachedToNode → MountedToPod → Ready as
 * the disk (a loop device) appears in the guest under the name udev gives its serial, unless QEMU
 * refuses the disk; removal goes through Detaching and drops the status.
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
    HotplugRules.Gates gates = gates();
    var refused = HotplugRules.refuseAdd(gates, options);
    if (refused.isPresent()) return refused.get();
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
          "volumeSource needs dataVolume.name or persistentVolumeClaim.claimName");
    Map<String, Object> volumeEntry = new LinkedHashMap<>();
    volumeEntry.put("name", volume);
    volumeEntry.put("dataVolume", Map.of("name", claim, "hotpluggable", true));
    Map<String, Object> diskEntry = new LinkedHashMap<>();
    diskEntry.put("name", volume);
    String serial = options.path("disk").path("serial").asText("");
    if (!serial.isEmpty()) diskEntry.put("serial", serial);
    boolean readOnly = options.path("disk").path("disk").path("readonly").asBoolean(false);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("bus", HotplugRules.bus(options.path("disk")));
    if (readOnly) target.put("readonly", true);
    diskEntry.put("disk", target);
    return request(
        ns,
        vm,
        name,
        gates,
        spec -> addTo(spec, volume, claim, volumeEntry, diskEntry),
        () -> plug(ns, name, volume));
  }

  @Override
  public VirtApi.Reply remove(String ns, boolean vm, String name, JsonNode options) {
    HotplugRules.Gates gates = gates();
    var refused = HotplugRules.refuseRemove(gates, options);
    if (refused.isPresent()) return refused.get();
    String volume = options.path("name").asText();
    return request(
        ns, vm, name, gates, spec -> removeFrom(spec, volume), () -> unplug(ns, name, volume));
  }

  /**
   * Applies {@code change} to the VM's template, then lets the VM controller reconcile its VMI; or,
   * for a request to a VMI, to the VMI, then lets virt-handler do {@code onVmi}.
   */
  private VirtApi.Reply request(
      String ns,
      boolean vm,
      String name,
      HotplugRules.Gates gates,
      Function<Map<String, Object>, VirtApi.Reply> change,
      Runnable onVmi) {
    var reply = vm ? editSpec(Kinds.VM, ns, name, change) : ephemeral(ns, name, gates, change);
    if (reply != null) return reply;
    handler.execute(vm ? () -> reconcile(ns, name) : onVmi);
    return VirtApi.Reply.ACCEPTED;
  }

  /** The hot-plug gates of the KubeVirt CR kubevirt/kubevirt (its defaults when there is none). */
  private HotplugRules.Gates gates() {
    var kubevirt =
        under
            .genericKubernetesResources(Kinds.KUBEVIRT)
            .inNamespace("kubevirt")
            .withName("kubevirt")
            .get();
    if (kubevirt == null) return HotplugRules.Gates.DEFAULTS;
    Map<String, Object> developer =
        Kinds.map(kubevirt, "spec", "configuration", "developerConfiguration");
    return HotplugRules.Gates.of(
        strings(developer.get("featureGates")), strings(developer.get("disabledFeatureGates")));
  }

  /** A request to the VMI itself: only for a running VMI that no VM owns, unless HotplugVolumes. */
  private VirtApi.Reply ephemeral(
      String ns,
      String name,
      HotplugRules.Gates gates,
      Function<Map<String, Object>, VirtApi.Reply> change) {
    var vmi = under.genericKubernetesResources(Kinds.VMI).inNamespace(ns).withName(name).get();
    if (vmi == null)
      return new VirtApi.Reply(
          404, "NotFound", "VirtualMachineInstance " + ns + "/" + name + " not found");
    boolean ownedByVm =
        vmi.getMetadata().getOwnerReferences().stream()
            .anyMatch(
                o ->
                    "VirtualMachine".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()));
    if (ownedByVm && !gates.legacy())
      return new VirtApi.Reply(400, "BadRequest", "VMI " + ns + "/" + name + " is owned by a VM");
    if (!"Running".equals(Kinds.string(vmi, "status", "phase")))
      return new VirtApi.Reply(409, "Conflict", "VMI is not running");
    return editSpec(Kinds.VMI, ns, name, change);
  }

  /**
   * Edits the spec (the template's for a VM) with {@code change}; null when done, else the error
   * the change answered (nothing is written then).
   */
  private VirtApi.Reply editSpec(
      ResourceDefinitionContext kind,
      String ns,
      String name,
      Function<Map<String, Object>, VirtApi.Reply> change) {
    var resource = under.genericKubernetesResources(kind).inNamespace(ns).withName(name);
    if (resource.get() == null)
      return new VirtApi.Reply(
          404, "NotFound", kind.getKind() + " " + ns + "/" + name + " not found");
    VirtApi.Reply[] problem = new VirtApi.Reply[1];
    Kinds.onConflictRetry(
        () ->
            resource.edit(
                o -> {
                  problem[0] = change.apply(specOf(o, kind == Kinds.VM));
                  return o;
                }));
    return problem[0];
  }

  private static Map<String, Object> specOf(GenericKubernetesResource o, boolean template) {
    return template ? Kinds.map(o, "spec", "template", "spec") : Kinds.map(o, "spec");
  }

  /** virt-api's checks against the spec it edits, then the edit. */
  private static VirtApi.Reply addTo(
      Map<String, Object> spec,
      String volume,
      String claim,
      Map<String, Object> volumeEntry,
      Map<String, Object> diskEntry) {
    var volumes = Kinds.list(spec, "volumes");
    for (var v : volumes) {
      if (volume.equals(v.get("name")))
        return conflict(
            "Unable to add volume [" + volume + "] because volume with that name already exists");
      if (claim.equals(sourceOf(v)))
        return conflict("Unable to add volume source [" + claim + "] because it already exists");
    }
    volumes.add(volumeEntry);
    Kinds.list(devices(spec), "disks").add(diskEntry);
    return null;
  }

  private static VirtApi.Reply removeFrom(Map<String, Object> spec, String volume) {
    var volumes = Kinds.list(spec, "volumes");
    var found =
        volumes.stream()
            .filter(v -> volume.equals(v.get("name")) || volume.equals(sourceOf(v)))
            .findFirst();
    if (found.isEmpty())
      return conflict("Unable to remove volume [" + volume + "] because it does not exist");
    if (!hotpluggable(found.get()))
      return conflict("Unable to remove volume [" + volume + "] because it is not hotpluggable");
    String name = (String) found.get().get("name");
    volumes.remove(found.get());
    Kinds.list(devices(spec), "disks").removeIf(d -> name.equals(d.get("name")));
    return null;
  }

  /**
   * The VM controller: makes the running VMI's hot-plugged volumes those of the VM's template, then
   * lets virt-handler plug and unplug the difference.
   */
  private void reconcile(String ns, String name) {
    var vm = under.genericKubernetesResources(Kinds.VM).inNamespace(ns).withName(name).get();
    var vmiResource = under.genericKubernetesResources(Kinds.VMI).inNamespace(ns).withName(name);
    if (vm == null || vmiResource.get() == null) return;
    Map<String, Object> template = specOf(vm, true);
    List<Map<String, Object>> wanted =
        Kinds.list(template, "volumes").stream().filter(HotPlug::hotpluggable).toList();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Kinds.onConflictRetry(
        () ->
            vmiResource.edit(
                vmi -> {
                  added.clear();
                  removed.clear();
                  Map<String, Object> spec = specOf(vmi, false);
                  var volumes = Kinds.list(spec, "volumes");
                  var disks = Kinds.list(devices(spec), "disks");
                  for (var v : List.copyOf(volumes)) {
                    if (hotpluggable(v)
                        && wanted.stream().noneMatch(w -> w.get("name").equals(v.get("name")))) {
                      volumes.remove(v);
                      disks.removeIf(d -> v.get("name").equals(d.get("name")));
                      removed.add((String) v.get("name"));
                    }
                  }
                  for (var w : wanted) {
                    if (volumes.stream().noneMatch(v -> w.get("name").equals(v.get("name")))) {
                      volumes.add(w);
                      Kinds.list(devices(template), "disks").stream()
                          .filter(d -> w.get("name").equals(d.get("name")))
                          .findFirst()
                          .ifPresent(disks::add);
                      added.add((String) w.get("name"));
                    }
                  }
                  return vmi;
                }));
    removed.forEach(volume -> unplug(ns, name, volume));
    added.forEach(volume -> plug(ns, name, volume));
  }

  /** virt-handler's part: the disk of {@code volume} appears in the guest, then the VMI says so. */
  private void plug(String ns, String vmiName, String volume) {
    var vmi = under.genericKubernetesResources(Kinds.VMI).inNamespace(ns).withName(vmiName).get();
    if (vmi == null) return;
    Map<String, Object> spec = specOf(vmi, false);
    var entry =
        Kinds.list(spec, "volumes").stream().filter(v -> volume.equals(v.get("name"))).findFirst();
    var disk =
        Kinds.list(devices(spec), "disks").stream()
            .filter(d -> volume.equals(d.get("name")))
            .findFirst();
    if (entry.isEmpty() || disk.isEmpty()) return; // unplugged meanwhile
    String claim = sourceOf(entry.get());
    @SuppressWarnings("unchecked")
    Map<String, Object> target = (Map<String, Object>) disk.get().get("disk");
    String bus = target == null ? "virtio" : Objects.toString(target.get("bus"), "virtio");
    boolean readOnly = target != null && Boolean.TRUE.equals(target.get("readonly"));
    String serial = Objects.toString(disk.get().get("serial"), "");
    var pvc = under.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
    if (pvc == null || pvc.getSpec().getVolumeName() == null) {
      setStatus(ns, vmiName, volume, "Pending", "PVC " + claim + " is not bound yet");
      handler.execute(() -> retryLater(() -> plug(ns, vmiName, volume)));
      return;
    }
    setStatus(ns, vmiName, volume, "Bound", "PVC is bound");
    setStatus(ns, vmiName, volume, "AttachedToNode", "Created hotplug attachment pod");
    setStatus(ns, vmiName, volume, "MountedToPod", "Volume " + volume + " has been mounted in pod");
    Optional<String> refusal = HotplugRules.qemuRefusal(bus, serial);
    if (refusal.isPresent()) {
      // virt-handler's attach fails in libvirt: the volume stays mounted to the pod, not Ready
      setStatus(
          ns,
          vmiName,
          volume,
          "MountedToPod",
          "failed to hot-plug disk " + volume + ": " + refusal.get());
      return;
    }
    try {
      var pv = under.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
      String device =
          disks.attach(
              vmiName,
              volume,
              serial.isEmpty() ? null : HotplugRules.byIdName(bus, serial),
              Path.of(pv.getSpec().getHostPath().getPath()),
              readOnly);
      setStatus(
          ns,
          vmiName,
          volume,
          "Ready",
          "Successfully attach hotplugged volume " + volume + " to VM (" + device + ")");
    } catch (IOException | KubernetesClientException | NullPointerException e) {
      setStatus(
          ns,
          vmiName,
          volume,
          "MountedToPod",
          "hot-plug of " + volume + " failed: " + e.getMessage());
      handler.execute(() -> retryLater(() -> plug(ns, vmiName, volume)));
    }
  }

  private void unplug(String ns, String vmi, String volume) {
    setStatus(ns, vmi, volume, "Detaching", "Detaching volume " + volume);
    try {
      disks.detach(vmi, volume);
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
                          s.put("reason", "Volume" + phase);
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> devices(Map<String, Object> spec) {
    Map<String, Object> domain =
        (Map<String, Object>)
            spec.computeIfAbsent("domain", k -> new LinkedHashMap<String, Object>());
    return (Map<String, Object>)
        domain.computeIfAbsent("devices", k -> new LinkedHashMap<String, Object>());
  }

  @SuppressWarnings("unchecked")
  private static String sourceOf(Map<String, Object> volume) {
    if (volume.get("dataVolume") instanceof Map<?, ?> dv)
      return (String) ((Map<String, Object>) dv).get("name");
    if (volume.get("persistentVolumeClaim") instanceof Map<?, ?> pvc)
      return (String) ((Map<String, Object>) pvc).get("claimName");
    return null;
  }

  @SuppressWarnings("unchecked")
  private static boolean hotpluggable(Map<String, Object> volume) {
    for (String key : List.of("dataVolume", "persistentVolumeClaim"))
      if (volume.get(key) instanceof Map<?, ?> source
          && Boolean.TRUE.equals(((Map<String, Object>) source).get("hotpluggable"))) return true;
    return false;
  }

  private static List<String> strings(Object value) {
    return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  private static VirtApi.Reply conflict(String message) {
    return new VirtApi.Reply(409, "Conflict", message);
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

package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.failedPrecondition;
import static io.kmetal.csi.grpc.Calls.notFound;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * This tenant cluster's worker VMs in the under cluster, and KubeVirt's hot-plug: {@code
 * addvolume}/{@code removevolume} on the VM (the VMI when the VM is gone), then waiting for the
 * VMI's volume status. A VM without the cluster's labels does not exist for this driver.
 */
public final class VirtualMachines {
  static final ResourceDefinitionContext VM = kubevirt("VirtualMachine", "virtualmachines");
  static final ResourceDefinitionContext VMI =
      kubevirt("VirtualMachineInstance", "virtualmachineinstances");

  /** A hot-plugged volume as the VMI reports it: {@code status.volumeStatus[]}. */
  public record VolumeStatus(String name, String phase, String message) {
    boolean ready() {
      return "Ready".equals(phase);
    }
  }

  private final KubernetesClient under;
  private final ControllerConfig config;

  public VirtualMachines(KubernetesClient under, ControllerConfig config) {
    this.under = under;
    this.config = config;
  }

  /** The VM named {@code nodeId}, if it is one of this tenant cluster's workers. */
  public Optional<GenericKubernetesResource> vm(String nodeId) {
    return Optional.ofNullable(get(VM, nodeId)).filter(config::owns);
  }

  /** The running instance of VM {@code nodeId}, if any. */
  public Optional<GenericKubernetesResource> vmi(String nodeId) {
    return Optional.ofNullable(get(VMI, nodeId)).filter(config::owns);
  }

  /** This tenant cluster's running VMIs that hold {@code volume}, other than {@code nodeId}'s. */
  public List<String> otherHolders(String volume, String nodeId) {
    return under
        .genericKubernetesResources(VMI)
        .inNamespace(config.namespace())
        .withLabels(config.labels())
        .list()
        .getItems()
        .stream()
        .filter(vmi -> !vmi.getMetadata().getName().equals(nodeId))
        .filter(vmi -> holds(vmi, volume))
        .map(vmi -> vmi.getMetadata().getName())
        .toList();
  }

  /** Whether the VMI's spec has the volume (hot-plugged, or being hot-plugged). */
  @SuppressWarnings("unchecked")
  public static boolean holds(GenericKubernetesResource vmi, String volume) {
    Map<String, Object> spec = (Map<String, Object>) vmi.getAdditionalProperties().get("spec");
    List<Map<String, Object>> volumes =
        spec == null ? null : (List<Map<String, Object>>) spec.get("volumes");
    return volumes != null && volumes.stream().anyMatch(v -> volume.equals(v.get("name")));
  }

  /** The VMI's status of the volume, if it reports one. */
  @SuppressWarnings("unchecked")
  public static Optional<VolumeStatus> statusOf(GenericKubernetesResource vmi, String volume) {
    Map<String, Object> status = (Map<String, Object>) vmi.getAdditionalProperties().get("status");
    List<Map<String, Object>> all =
        status == null ? null : (List<Map<String, Object>>) status.get("volumeStatus");
    if (all == null) return Optional.empty();
    return all.stream()
        .filter(s -> volume.equals(s.get("name")))
        .findFirst()
        .map(
            s ->
                new VolumeStatus(
                    volume, (String) s.get("phase"), Objects.toString(s.get("message"), "")));
  }

  /** Whether the VMI's disk of {@code volume} is read-only ({@code disk.readonly}). */
  @SuppressWarnings("unchecked")
  public static boolean readOnly(GenericKubernetesResource vmi, String volume) {
    return diskOf(vmi, volume)
        .map(d -> (Map<String, Object>) d.get("disk"))
        .map(target -> Boolean.TRUE.equals(target.get("readonly")))
        .orElse(false);
  }

  /** The serial of the VMI's disk of {@code volume}, if it has one. */
  public static Optional<String> serialOf(GenericKubernetesResource vmi, String volume) {
    return diskOf(vmi, volume)
        .filter(d -> d.get("serial") instanceof String)
        .map(d -> (String) d.get("serial"));
  }

  /** The VMI's {@code spec.domain.devices.disks[]} entry of {@code volume}. */
  @SuppressWarnings("unchecked")
  private static Optional<Map<String, Object>> diskOf(
      GenericKubernetesResource vmi, String volume) {
    Map<String, Object> spec = (Map<String, Object>) vmi.getAdditionalProperties().get("spec");
    Map<String, Object> domain = spec == null ? null : (Map<String, Object>) spec.get("domain");
    Map<String, Object> devices =
        domain == null ? null : (Map<String, Object>) domain.get("devices");
    List<Map<String, Object>> disks =
        devices == null ? null : (List<Map<String, Object>>) devices.get("disks");
    if (disks == null) return Optional.empty();
    return disks.stream().filter(d -> volume.equals(d.get("name"))).findFirst();
  }

  /**
   * Asks KubeVirt to hot-plug DataVolume {@code volume} into VM {@code nodeId} as a disk with
   * {@code serial}. KubeVirt answering that the VM already has the volume counts as done: a
   * concurrent publish asked first. Any other refusal (a feature gate off, a bus it does not
   * hot-plug) is FAILED_PRECONDITION with KubeVirt's own words.
   */
  public void addVolume(String nodeId, String volume, String serial, String bus, boolean readOnly) {
    var target = readOnly ? Map.of("bus", bus, "readonly", true) : Map.of("bus", bus);
    var options =
        Map.of(
            "name", volume,
            "disk", Map.of("name", volume, "serial", serial, "disk", target),
            "volumeSource", Map.of("dataVolume", Map.of("name", volume, "hotpluggable", true)));
    put("virtualmachines", nodeId, "addvolume", options, "already exists");
  }

  /**
   * Asks KubeVirt to unplug {@code volume} from VM {@code nodeId}, or from its VMI when the VM is
   * gone (a VMI without VM). KubeVirt answering that the volume is not there counts as done.
   */
  public void removeVolume(String nodeId, String volume, boolean fromVm) {
    var options = Map.of("name", volume);
    put(
        fromVm ? "virtualmachines" : "virtualmachineinstances",
        nodeId,
        "removevolume",
        options,
        "does not exist");
  }

  /**
   * Waits until the VMI of {@code nodeId} satisfies {@code condition} (a missing VMI is null), for
   * at most {@code timeout}. Returns the VMI as last seen; throws on timeout.
   */
  public GenericKubernetesResource await(
      String nodeId, Predicate<GenericKubernetesResource> condition, Duration timeout)
      throws TimeoutException {
    try {
      return under
          .genericKubernetesResources(VMI)
          .inNamespace(config.namespace())
          .withName(nodeId)
          .waitUntilCondition(condition, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      throw new TimeoutException(e.getMessage());
    }
  }

  /** The wait ran out of time. */
  public static final class TimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message) {
      super(message);
    }
  }

  private void put(
      String resource, String name, String subresource, Object options, String doneWhen) {
    String path =
        "/apis/subresources.kubevirt.io/v1/namespaces/%s/%s/%s/%s"
            .formatted(config.namespace(), resource, name, subresource);
    String url = under.getMasterUrl().toString().replaceAll("/+$", "") + path;
    try {
      if (under.raw(url, "PUT", options) == null)
        throw notFound(subresource + " of " + resource + "/" + name + ": not found");
    } catch (KubernetesClientException e) {
      String message =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : e.getMessage();
      if (e.getCode() == 409 && message.contains(doneWhen)) return;
      if (e.getCode() == 400 || e.getCode() == 409 || e.getCode() == 422)
        throw failedPrecondition(
            "KubeVirt refused " + subresource + " of " + resource + "/" + name + ": " + message);
      throw e;
    }
  }

  private GenericKubernetesResource get(ResourceDefinitionContext kind, String name) {
    return under
        .genericKubernetesResources(kind)
        .inNamespace(config.namespace())
        .withName(name)
        .get();
  }

  private static ResourceDefinitionContext kubevirt(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("kubevirt.io")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}

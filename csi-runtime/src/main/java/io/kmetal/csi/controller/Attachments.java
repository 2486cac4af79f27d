package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.failedPrecondition;
import static io.kmetal.csi.grpc.Calls.notFound;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.kmetal.csi.disk.DiskSerial;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ControllerPublish/Unpublish: a volume is attached to a tenant node by hot-plugging its DataVolume
 * into the node's VM, and is attached once the VMI reports it Ready. Both directions are idempotent
 * and bounded by the call's deadline (the sidecar retries; the hot-plug goes on meanwhile).
 */
public final class Attachments {
  private final DataVolumes volumes;
  private final VirtualMachines machines;
  private final String bus;
  private final Duration timeout;

  public Attachments(DataVolumes volumes, VirtualMachines machines, String bus, Duration timeout) {
    this.volumes = volumes;
    this.machines = machines;
    this.bus = bus;
    this.timeout = timeout;
  }

  /**
   * Attaches {@code volume} to {@code node}, read-only if asked; {@code shared} when the capability
   * lets several nodes hold it (block RWX). Returns the publish context the node plugin reads.
   */
  public Map<String, String> publish(String volume, String node, boolean shared, boolean readOnly) {
    if (volumes.get(volume).isEmpty()) throw notFound("volume " + volume + " does not exist");
    if (machines.vm(node).isEmpty() && machines.vmi(node).isEmpty())
      throw notFound("node " + node + " is not a VM of this tenant cluster");
    GenericKubernetesResource vmi =
        machines
            .vmi(node)
            .orElseThrow(() -> failedPrecondition("VM " + node + " is not running (no VMI)"));
    String serial;
    if (VirtualMachines.holds(vmi, volume)) {
      if (VirtualMachines.readOnly(vmi, volume) != readOnly)
        throw Status.ALREADY_EXISTS
            .withDescription(
                "volume "
                    + volume
                    + " is published to "
                    + node
                    + (readOnly ? " read-write" : " read-only")
                    + "; this request asks for "
                    + (readOnly ? "read-only" : "read-write"))
            .asRuntimeException();
      // the serial it was plugged with: volumes attached before DiskSerial keep their old one
      serial = VirtualMachines.serialOf(vmi, volume).orElse(DiskSerial.of(volume));
    } else {
      List<String> others = machines.otherHolders(volume, node);
      if (!shared && !others.isEmpty())
        throw failedPrecondition(
            "volume " + volume + " is attached to " + others + " and is ReadWriteOnce");
      serial = DiskSerial.of(volume);
      boolean requested = machines.vm(node).map(vm -> inTemplate(vm, volume)).orElse(false);
      if (!requested) machines.addVolume(node, volume, serial, bus, readOnly);
    }
    awaitVolume(node, volume, true);
    return Map.of("bus", bus, DiskSerial.PUBLISH_CONTEXT_KEY, serial);
  }

  /**
   * Detaches {@code volume} from {@code node}; a node or volume that is gone is detached. The VM is
   * asked while its template holds the volume; once the template no longer does, KubeVirt is
   * unplugging it and only the VMI is waited for. A VMI without VM is asked directly.
   */
  public void unpublish(String volume, String node) {
    var vmi = machines.vmi(node);
    var vm = machines.vm(node);
    boolean attached = vmi.isPresent() && VirtualMachines.holds(vmi.get(), volume);
    boolean inVm = vm.map(v -> inTemplate(v, volume)).orElse(false);
    if (inVm) machines.removeVolume(node, volume, true);
    else if (attached && vm.isEmpty()) machines.removeVolume(node, volume, false);
    if (attached) awaitVolume(node, volume, false);
  }

  private void awaitVolume(String node, String volume, boolean present) {
    try {
      machines.await(
          node,
          vmi ->
              present
                  ? vmi != null
                      && VirtualMachines.statusOf(vmi, volume)
                          .map(VirtualMachines.VolumeStatus::ready)
                          .orElse(false)
                  : vmi == null
                      || (!VirtualMachines.holds(vmi, volume)
                          && VirtualMachines.statusOf(vmi, volume).isEmpty()),
          budget());
    } catch (VirtualMachines.TimeoutException e) {
      String state =
          machines
              .vmi(node)
              .flatMap(vmi -> VirtualMachines.statusOf(vmi, volume))
              .map(s -> "; the VMI reports " + s.phase() + " " + s.message())
              .orElse("");
      throw Status.DEADLINE_EXCEEDED
          .withDescription(
              "volume "
                  + volume
                  + (present ? " not yet attached to " : " not yet detached from ")
                  + node
                  + state)
          .asRuntimeException();
    }
  }

  /** The configured timeout, or less when the caller's deadline comes first. */
  private Duration budget() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) return timeout;
    long left = deadline.timeRemaining(TimeUnit.MILLISECONDS) - 200;
    return Duration.ofMillis(Math.max(1, Math.min(left, timeout.toMillis())));
  }

  @SuppressWarnings("unchecked")
  private static boolean inTemplate(GenericKubernetesResource vm, String volume) {
    Map<String, Object> spec = (Map<String, Object>) vm.getAdditionalProperties().get("spec");
    Map<String, Object> template = spec == null ? null : (Map<String, Object>) spec.get("template");
    if (template == null) return false;
    var wrapper = new GenericKubernetesResource();
    wrapper.setAdditionalProperty("spec", template.get("spec"));
    return VirtualMachines.holds(wrapper, volume);
  }
}

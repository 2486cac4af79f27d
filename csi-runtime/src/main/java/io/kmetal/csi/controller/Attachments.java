package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.failedPrecondition;
import static io.kmetal.csi.grpc.Calls.notFound;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.kmetal.csi.disk.DiskSerial;
import io.kmetal.csi.infra.InfraCluster;
import io.kmetal.csi.infra.VirtualMachine;
import io.kmetal.csi.infra.VirtualMachineInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * ControllerPublish/Unpublish: a volume is attached to a tenant node by hot-plugging its DataVolume
 * into the node's VM ({@code addvolume}/{@code removevolume} on the VM, on the VMI when the VM is
 * gone), and is attached once the VMI reports it Ready. Both directions are idempotent and bounded
 * by the call's deadline (the sidecar retries; the hot-plug goes on meanwhile). A VM without the
 * tenant cluster's labels does not exist for this driver.
 */
public final class Attachments {
  private final InfraCluster under;
  private final ControllerConfig config;
  private final DataVolumes volumes;
  private final String bus;
  private final Duration timeout;

  public Attachments(
      InfraCluster under,
      ControllerConfig config,
      DataVolumes volumes,
      String bus,
      Duration timeout) {
    this.under = under;
    this.config = config;
    this.volumes = volumes;
    this.bus = bus;
    this.timeout = timeout;
  }

  /**
   * Attaches {@code volume} to {@code node}, read-only if asked; {@code shared} when the capability
   * lets several nodes hold it (block RWX). Returns the publish context the node plugin reads.
   */
  public Map<String, String> publish(String volume, String node, boolean shared, boolean readOnly) {
    if (volumes.get(volume).isEmpty()) throw notFound("volume " + volume + " does not exist");
    Optional<VirtualMachine> vm = vm(node);
    Optional<VirtualMachineInstance> running = vmi(node);
    if (vm.isEmpty() && running.isEmpty())
      throw notFound("node " + node + " is not a VM of this tenant cluster");
    VirtualMachineInstance vmi =
        running.orElseThrow(() -> failedPrecondition("VM " + node + " is not running (no VMI)"));
    String serial;
    if (vmi.holds(volume)) {
      var disk = vmi.disk(volume);
      boolean plugged = disk.map(VirtualMachineInstance.Disk::readOnly).orElse(false);
      if (plugged != readOnly)
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
      serial = disk.map(VirtualMachineInstance.Disk::serial).orElse(DiskSerial.of(volume));
    } else {
      List<String> others = otherHolders(volume, node);
      if (!shared && !others.isEmpty())
        throw failedPrecondition(
            "volume " + volume + " is attached to " + others + " and is ReadWriteOnce");
      serial = DiskSerial.of(volume);
      if (!vm.map(v -> v.requests(volume)).orElse(false)) plug(node, volume, serial, readOnly);
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
    var vm = vm(node);
    boolean attached = vmi(node).map(vmi -> vmi.holds(volume)).orElse(false);
    try {
      if (vm.map(v -> v.requests(volume)).orElse(false)) under.removeVolume(node, volume, true);
      else if (attached && vm.isEmpty()) under.removeVolume(node, volume, false);
    } catch (InfraCluster.Refused e) {
      throw failedPrecondition(e.getMessage());
    }
    if (attached) awaitVolume(node, volume, false);
  }

  private void plug(String node, String volume, String serial, boolean readOnly) {
    try {
      if (!under.addVolume(node, new InfraCluster.Hotplug(volume, serial, bus, readOnly)))
        throw notFound("node " + node + " is not a VM of this tenant cluster");
    } catch (InfraCluster.Refused e) {
      throw failedPrecondition(e.getMessage());
    }
  }

  private Optional<VirtualMachine> vm(String node) {
    return under.vm(node).filter(vm -> config.owns(vm.labels()));
  }

  private Optional<VirtualMachineInstance> vmi(String node) {
    return under.vmi(node).filter(vmi -> config.owns(vmi.labels()));
  }

  /** This tenant cluster's running VMIs that hold {@code volume}, other than {@code node}'s. */
  private List<String> otherHolders(String volume, String node) {
    return under.vmis(config.labels()).stream()
        .filter(vmi -> config.owns(vmi.labels()))
        .filter(vmi -> !vmi.name().equals(node) && vmi.holds(volume))
        .map(VirtualMachineInstance::name)
        .sorted()
        .toList();
  }

  private void awaitVolume(String node, String volume, boolean present) {
    try {
      under.awaitVmi(
          node,
          vmi ->
              present
                  ? vmi.flatMap(v -> v.statusOf(volume))
                      .map(VirtualMachineInstance.VolumeStatus::ready)
                      .orElse(false)
                  : vmi.map(v -> !v.holds(volume) && v.statusOf(volume).isEmpty()).orElse(true),
          budget());
    } catch (InfraCluster.TimeoutException e) {
      String state =
          vmi(node)
              .flatMap(vmi -> vmi.statusOf(volume))
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
}

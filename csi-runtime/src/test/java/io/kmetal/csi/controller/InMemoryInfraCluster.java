package io.kmetal.csi.controller;

import io.kmetal.csi.infra.DataVolume;
import io.kmetal.csi.infra.InfraCluster;
import io.kmetal.csi.infra.VirtualMachine;
import io.kmetal.csi.infra.VirtualMachineInstance;
import io.kmetal.csi.infra.VolumeSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One under-cluster namespace in memory, with CDI, KubeVirt and the snapshot controller reduced to
 * what the driver observes: CDI makes a DataVolume's claim at once (or records the quota's
 * refusal), KubeVirt hot-plugs and unplugs at once and reports the volume Ready (unless told to
 * stall or refuse), a snapshot is ready at once with its claim's size. Thread-safe; waits are woken
 * by every change.
 */
final class InMemoryInfraCluster implements InfraCluster {
  private final Map<String, DataVolume> dataVolumes = new TreeMap<>();
  private final Map<String, VirtualMachine> vms = new TreeMap<>();
  private final Map<String, VirtualMachineInstance> vmis = new TreeMap<>();
  private final Map<String, VolumeSnapshot> snapshots = new TreeMap<>();
  private String quotaRefusal;
  private boolean claimsDeferred;
  private Integer snapshotQuota;
  private String hotplugRefusal;
  private boolean hotplugStalls;
  private int hotplugs;

  // ---- the test's hand on the cluster

  /** A worker VM with these labels, running (a VMI) or stopped. */
  synchronized void addVm(String name, Map<String, String> labels, boolean running) {
    vms.put(name, new VirtualMachine(name, labels, List.of()));
    if (running)
      vmis.put(name, new VirtualMachineInstance(name, labels, List.of(), List.of(), List.of()));
  }

  /** An instance whose VM is gone. */
  synchronized void removeVm(String name) {
    vms.remove(name);
  }

  synchronized void put(DataVolume dv) {
    dataVolumes.put(dv.name(), dv);
    changed();
  }

  /** CDI has not answered new DataVolumes yet: no claim, no refusal, until {@link #answer}. */
  synchronized void deferClaims() {
    claimsDeferred = true;
  }

  /** CDI answers DataVolume {@code name} now: its claim, or the ResourceQuota's refusal. */
  synchronized void answer(String name, String refusal) {
    dataVolumes.computeIfPresent(name, (n, dv) -> verdict(dv, refusal));
    changed();
  }

  synchronized void put(VolumeSnapshot vs) {
    snapshots.put(vs.name(), vs);
  }

  /** CDI records every new claim as refused by the ResourceQuota with this message. */
  synchronized void refuseClaims(String message) {
    quotaRefusal = message;
  }

  /** The ResourceQuota admits at most this many VolumeSnapshots. */
  synchronized void limitSnapshots(int count) {
    snapshotQuota = count;
  }

  /** KubeVirt refuses hot-plug requests with this message. */
  synchronized void refuseHotplug(String message) {
    hotplugRefusal = message;
  }

  /** KubeVirt accepts hot-plugs but never reports the disk Ready. */
  synchronized void stallHotplug() {
    hotplugStalls = true;
  }

  /** How many addvolume requests KubeVirt took. */
  synchronized int hotplugs() {
    return hotplugs;
  }

  // ---- InfraCluster

  @Override
  public synchronized Optional<DataVolume> dataVolume(String name) {
    return Optional.ofNullable(dataVolumes.get(name));
  }

  @Override
  public synchronized List<DataVolume> dataVolumes(Map<String, String> labels) {
    return carrying(dataVolumes.values().stream(), DataVolume::labels, labels);
  }

  @Override
  public synchronized boolean create(DataVolume volume) {
    if (dataVolumes.containsKey(volume.name())) return false;
    var made =
        claimsDeferred
            ? volume.reported("Pending", List.of(), null)
            : verdict(volume, quotaRefusal);
    dataVolumes.put(volume.name(), made);
    changed();
    return true;
  }

  @Override
  public synchronized Optional<DataVolume> awaitDataVolume(
      String name, Predicate<Optional<DataVolume>> until, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<DataVolume> dv = dataVolume(name);
      long left = deadline - System.nanoTime();
      if (until.test(dv) || left <= 0) return dv;
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public synchronized void resize(String name, long bytes) {
    dataVolumes.computeIfPresent(name, (n, dv) -> dv.resized(bytes));
  }

  @Override
  public synchronized void deleteDataVolume(String name) {
    dataVolumes.remove(name);
    changed();
  }

  @Override
  public synchronized Optional<VirtualMachine> vm(String name) {
    return Optional.ofNullable(vms.get(name));
  }

  @Override
  public synchronized Optional<VirtualMachineInstance> vmi(String name) {
    return Optional.ofNullable(vmis.get(name));
  }

  @Override
  public synchronized List<VirtualMachineInstance> vmis(Map<String, String> labels) {
    return carrying(vmis.values().stream(), VirtualMachineInstance::labels, labels);
  }

  @Override
  public synchronized boolean addVolume(String vm, Hotplug plug) {
    var machine = vms.get(vm);
    if (machine == null) return false;
    if (hotplugRefusal != null) throw new Refused(hotplugRefusal);
    hotplugs++;
    if (machine.requests(plug.volume())) return true;
    vms.put(vm, new VirtualMachine(vm, machine.labels(), plus(machine.volumes(), plug.volume())));
    var vmi = vmis.get(vm);
    if (vmi != null) {
      var status =
          new VirtualMachineInstance.VolumeStatus(
              plug.volume(),
              hotplugStalls ? "AttachedToNode" : "Ready",
              hotplugStalls ? "the guest has not seen the disk" : "");
      vmis.put(
          vm,
          new VirtualMachineInstance(
              vm,
              vmi.labels(),
              plus(vmi.volumes(), plug.volume()),
              plus(
                  vmi.disks(),
                  new VirtualMachineInstance.Disk(plug.volume(), plug.serial(), plug.readOnly())),
              plus(vmi.volumeStatus(), status)));
    }
    changed();
    return true;
  }

  @Override
  public synchronized void removeVolume(String name, String volume, boolean fromVm) {
    if (hotplugRefusal != null) throw new Refused(hotplugRefusal);
    var vm = vms.get(name);
    if (fromVm && vm != null)
      vms.put(name, new VirtualMachine(name, vm.labels(), minus(vm.volumes(), volume::equals)));
    var vmi = vmis.get(name);
    if (vmi != null && !hotplugStalls)
      vmis.put(
          name,
          new VirtualMachineInstance(
              name,
              vmi.labels(),
              minus(vmi.volumes(), volume::equals),
              minus(vmi.disks(), d -> d.name().equals(volume)),
              minus(vmi.volumeStatus(), s -> s.name().equals(volume))));
    changed();
  }

  @Override
  public synchronized void awaitVmi(
      String name, Predicate<Optional<VirtualMachineInstance>> until, Duration timeout)
      throws TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!until.test(vmi(name))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new TimeoutException("VMI " + name + " did not get there");
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted");
      }
    }
  }

  @Override
  public synchronized Optional<VolumeSnapshot> snapshot(String name) {
    return Optional.ofNullable(snapshots.get(name));
  }

  @Override
  public synchronized List<VolumeSnapshot> snapshots(Map<String, String> labels) {
    return carrying(snapshots.values().stream(), VolumeSnapshot::labels, labels);
  }

  @Override
  public synchronized void create(VolumeSnapshot snapshot) {
    if (snapshots.containsKey(snapshot.name())) return;
    if (snapshotQuota != null && snapshots.size() >= snapshotQuota)
      throw new QuotaExceeded(
          "volumesnapshots \""
              + snapshot.name()
              + "\" is forbidden: exceeded quota: tenant, requested:"
              + " count/volumesnapshots.snapshot.storage.k8s.io=1, used: "
              + snapshots.size()
              + ", limited: "
              + snapshotQuota);
    var claim = dataVolumes.get(snapshot.claim());
    snapshots.put(
        snapshot.name(),
        new VolumeSnapshot(
            snapshot.name(),
            snapshot.labels(),
            snapshot.claim(),
            snapshot.snapshotClass(),
            claim == null ? 0 : claim.bytes(),
            claim != null,
            Instant.now()));
  }

  @Override
  public synchronized void deleteSnapshot(String name) {
    snapshots.remove(name);
  }

  private static DataVolume verdict(DataVolume volume, String refusal) {
    return refusal == null
        ? volume.reported(
            "Succeeded",
            List.of(new DataVolume.Condition("Bound", "True", "Bound", "")),
            volume.name())
        : volume.reported(
            "Pending",
            List.of(
                new DataVolume.Condition("Bound", "False", DataVolume.ERR_EXCEEDED_QUOTA, refusal)),
            null);
  }

  private void changed() {
    notifyAll();
  }

  private static <T> List<T> carrying(
      Stream<T> objects,
      java.util.function.Function<T, Map<String, String>> labelsOf,
      Map<String, String> labels) {
    return objects
        .filter(o -> labelsOf.apply(o).entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  private static <T> List<T> plus(List<T> list, T item) {
    var out = new ArrayList<>(list);
    out.add(item);
    return out;
  }

  private static <T> List<T> minus(List<T> list, Predicate<T> gone) {
    return list.stream().filter(gone.negate()).toList();
  }
}

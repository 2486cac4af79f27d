package io.kmetal.csi.infra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One namespace of the under cluster, as the CSI controller uses it: CDI DataVolumes, KubeVirt VMs,
 * their instances and hot-plug, VolumeSnapshots. It returns every object of a name, whoever
 * labelled it; telling this tenant cluster's objects from another's is the caller's rule. An API
 * failure not named here is an {@link ApiError}, whatever the adapter: the CSI edge maps its status
 * to a code.
 */
public interface InfraCluster {
  Optional<DataVolume> dataVolume(String name);

  /** The DataVolumes carrying all of {@code labels}. */
  List<DataVolume> dataVolumes(Map<String, String> labels);

  /**
   * Creates the DataVolume (its name, labels, size, class, access, mode and source).
   *
   * @return false when one of that name exists already
   */
  boolean create(DataVolume volume);

  /**
   * Waits until DataVolume {@code name} (empty: none seen) satisfies {@code until}, for at most
   * {@code timeout} (zero: looks once), without a request per look.
   *
   * @return the DataVolume as last seen
   */
  Optional<DataVolume> awaitDataVolume(
      String name, Predicate<Optional<DataVolume>> until, Duration timeout)
      throws InterruptedException;

  /** Raises {@code spec.storage}'s request to {@code bytes}; CDI grows the claim. */
  void resize(String dataVolume, long bytes);

  /** Deletes the DataVolume; absent is fine. */
  void deleteDataVolume(String name);

  Optional<VirtualMachine> vm(String name);

  Optional<VirtualMachineInstance> vmi(String name);

  /** The running instances carrying all of {@code labels}. */
  List<VirtualMachineInstance> vmis(Map<String, String> labels);

  /**
   * Asks KubeVirt to hot-plug a DataVolume into VM {@code vm} ({@code addvolume}). KubeVirt
   * answering that the VM has the volume already counts as done.
   *
   * @return false when there is no such VM
   * @throws Refused when KubeVirt refuses (a feature gate off, a bus it does not hot-plug)
   */
  boolean addVolume(String vm, Hotplug plug);

  /**
   * Asks KubeVirt to unplug {@code volume} from the VM, or from the instance when {@code fromVm} is
   * false ({@code removevolume}). KubeVirt answering that the volume is not there counts as done.
   *
   * @throws Refused when KubeVirt refuses
   */
  void removeVolume(String name, String volume, boolean fromVm);

  /**
   * Waits until the instance {@code name} (empty: none runs) satisfies {@code until}, for at most
   * {@code timeout}.
   *
   * @throws TimeoutException when it did not
   */
  void awaitVmi(String name, Predicate<Optional<VirtualMachineInstance>> until, Duration timeout)
      throws TimeoutException;

  Optional<VolumeSnapshot> snapshot(String name);

  /** The VolumeSnapshots carrying all of {@code labels}. */
  List<VolumeSnapshot> snapshots(Map<String, String> labels);

  /**
   * Creates the VolumeSnapshot; one of that name existing is no error.
   *
   * @throws QuotaExceeded when the namespace's ResourceQuota refuses it
   */
  void create(VolumeSnapshot snapshot);

  /** Deletes the VolumeSnapshot; absent is fine. */
  void deleteSnapshot(String name);

  /** A hot-plug: the DataVolume, the disk's serial and bus, read-only or not. */
  record Hotplug(String volume, String serial, String bus, boolean readOnly) {}

  /** KubeVirt refused a hot-plug request; the message is KubeVirt's. */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The namespace's ResourceQuota refused a create; the message is the API server's. */
  final class QuotaExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuotaExceeded(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * An API request failed: its HTTP status ({@code 0} when the API server did not answer) and the
   * API server's message (for a refusal, "User … cannot <verb> resource …").
   */
  final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiError(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** A wait ran out of time. */
  final class TimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message) {
      super(message, null, false, false);
    }
  }
}

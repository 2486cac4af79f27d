package io.kmetal.csi.controller;

import static io.kmetal.csi.grpc.Calls.invalid;
import static io.kmetal.csi.grpc.Calls.notFound;

import com.google.protobuf.Timestamp;
import csi.v1.ControllerGrpc;
import csi.v1.Csi.ControllerExpandVolumeRequest;
import csi.v1.Csi.ControllerExpandVolumeResponse;
import csi.v1.Csi.ControllerGetCapabilitiesRequest;
import csi.v1.Csi.ControllerGetCapabilitiesResponse;
import csi.v1.Csi.ControllerPublishVolumeRequest;
import csi.v1.Csi.ControllerPublishVolumeResponse;
import csi.v1.Csi.ControllerServiceCapability;
import csi.v1.Csi.ControllerServiceCapability.RPC;
import csi.v1.Csi.ControllerUnpublishVolumeRequest;
import csi.v1.Csi.ControllerUnpublishVolumeResponse;
import csi.v1.Csi.CreateSnapshotRequest;
import csi.v1.Csi.CreateSnapshotResponse;
import csi.v1.Csi.CreateVolumeRequest;
import csi.v1.Csi.CreateVolumeResponse;
import csi.v1.Csi.DeleteSnapshotRequest;
import csi.v1.Csi.DeleteSnapshotResponse;
import csi.v1.Csi.DeleteVolumeRequest;
import csi.v1.Csi.DeleteVolumeResponse;
import csi.v1.Csi.ListSnapshotsRequest;
import csi.v1.Csi.ListSnapshotsResponse;
import csi.v1.Csi.ListVolumesRequest;
import csi.v1.Csi.ListVolumesResponse;
import csi.v1.Csi.Snapshot;
import csi.v1.Csi.ValidateVolumeCapabilitiesRequest;
import csi.v1.Csi.ValidateVolumeCapabilitiesResponse;
import csi.v1.Csi.Volume;
import csi.v1.Csi.VolumeCapability;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kmetal.csi.grpc.Calls;
import io.kmetal.csi.infra.DataVolume;
import io.kmetal.csi.infra.InfraCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The CSI Controller service in the under cluster: each volume is a CDI DataVolume named after the
 * volume in this tenant cluster's namespace, carrying its labels. Create (blank, from a snapshot or
 * a clone), delete, validate capabilities, list, expand (CDI grows the PVC; the node grows the
 * filesystem), publish and unpublish (KubeVirt hot-plug, see {@link Attachments}), and snapshots as
 * under-cluster VolumeSnapshots of the class the tenant's class maps to (see {@link Snapshots}).
 * ControllerGetCapabilities lists what those parts offer; snapshots only when the configuration
 * turns them on ({@link ControllerConfig#snapshots()}).
 */
public final class ControllerService extends ControllerGrpc.ControllerImplBase {
  /** Used when the request gives no size: CDI needs one. */
  static final long DEFAULT_BYTES = 1L << 30;

  /** What the volume calls offer: create, delete, list, clone and expand DataVolumes. */
  static final List<RPC.Type> VOLUME_CAPABILITIES =
      List.of(
          RPC.Type.CREATE_DELETE_VOLUME,
          RPC.Type.LIST_VOLUMES,
          RPC.Type.CLONE_VOLUME,
          RPC.Type.EXPAND_VOLUME);

  /** What hot-plug offers: publish and unpublish, read-only too. */
  static final List<RPC.Type> ATTACH_CAPABILITIES =
      List.of(RPC.Type.PUBLISH_UNPUBLISH_VOLUME, RPC.Type.PUBLISH_READONLY);

  /** What the snapshot calls offer, when the configuration turns snapshots on. */
  static final List<RPC.Type> SNAPSHOT_CAPABILITIES =
      List.of(RPC.Type.CREATE_DELETE_SNAPSHOT, RPC.Type.LIST_SNAPSHOTS);

  /** Why a snapshot call is refused when the configuration turns snapshots off. */
  static final String SNAPSHOTS_OFF =
      "snapshots are off for this tenant cluster (the driver ConfigMap's snapshots is false)";

  private final DataVolumes volumes;
  private final Snapshots snapshots;
  private final Attachments attachments;
  private final List<RPC.Type> capabilities;
  private final Calls calls = new Calls();

  private ControllerService(
      DataVolumes volumes,
      Snapshots snapshots,
      Attachments attachments,
      List<RPC.Type> capabilities) {
    this.volumes = volumes;
    this.snapshots = snapshots;
    this.attachments = attachments;
    this.capabilities = capabilities;
  }

  /** The capabilities of the parts {@code config} turns on. */
  static List<RPC.Type> capabilities(ControllerConfig config) {
    List<RPC.Type> all = new ArrayList<>(VOLUME_CAPABILITIES);
    all.addAll(ATTACH_CAPABILITIES);
    if (config.snapshots()) all.addAll(SNAPSHOT_CAPABILITIES);
    return List.copyOf(all);
  }

  private boolean offersSnapshots() {
    return capabilities.contains(RPC.Type.CREATE_DELETE_SNAPSHOT);
  }

  /** Answers UNIMPLEMENTED when snapshots are off: the call is then not advertised either. */
  private boolean refusesSnapshots(StreamObserver<?> out) {
    if (offersSnapshots()) return false;
    out.onError(Status.UNIMPLEMENTED.withDescription(SNAPSHOTS_OFF).asRuntimeException());
    return true;
  }

  /**
   * The controller over this tenant cluster's namespace of the under cluster.
   *
   * @param bus the bus hot-plugged disks are attached on
   * @param admissionWait how long CreateVolume waits for CDI's verdict on a new claim
   * @param attachTimeout how long publish and unpublish wait for the VMI's volume status
   */
  public static ControllerService over(
      InfraCluster under,
      ControllerConfig config,
      String bus,
      Duration admissionWait,
      Duration attachTimeout) {
    var volumes = new DataVolumes(under, config, admissionWait);
    return new ControllerService(
        volumes,
        new Snapshots(under, config),
        new Attachments(under, config, volumes, bus, attachTimeout),
        capabilities(config));
  }

  @Override
  public void controllerGetCapabilities(
      ControllerGetCapabilitiesRequest request,
      StreamObserver<ControllerGetCapabilitiesResponse> out) {
    Calls.respond(
        out,
        () -> {
          var response = ControllerGetCapabilitiesResponse.newBuilder();
          for (var type : capabilities) {
            response.addCapabilities(
                ControllerServiceCapability.newBuilder().setRpc(RPC.newBuilder().setType(type)));
          }
          return response.build();
        });
  }

  @Override
  public void createVolume(CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> out) {
    if (request.getName().isEmpty()) {
      out.onError(invalid("name is required"));
      return;
    }
    calls.respondFor(
        request.getName(),
        out,
        () -> {
          if (request.getVolumeCapabilitiesCount() == 0)
            throw invalid("volume_capabilities is required");
          for (VolumeCapability c : request.getVolumeCapabilitiesList()) Capabilities.check(c);
          String unsupported = Capabilities.problem(request.getVolumeCapabilitiesList());
          if (unsupported != null) throw invalid(unsupported);
          String storageClass = request.getParametersMap().get("infraStorageClassName");
          String refused = volumes.config().storageClasses().refusal(storageClass);
          if (refused != null) throw invalid(refused);
          var source =
              ContentSource.of(request.hasVolumeContentSource(), request.getVolumeContentSource());
          long bytes = atLeast(size(request), sourceBytes(source), request);
          var capabilities = request.getVolumeCapabilitiesList();
          String id = VolumeNames.objectName(request.getName());
          // create first: the common case costs one API round trip; a retry finds it existing
          if (volumes.create(
              id,
              bytes,
              storageClass,
              Capabilities.accessMode(capabilities),
              Capabilities.isBlock(capabilities),
              source)) {
            refuseOverQuota(id);
            return response(id, bytes, source);
          }
          var existing =
              volumes
                  .get(id)
                  .orElseThrow(
                      () ->
                          Status.ALREADY_EXISTS
                              .withDescription(
                                  "a DataVolume named "
                                      + id
                                      + " exists but is not this tenant cluster's")
                              .asRuntimeException());
          // a retry (the provisioner's, or the client's after a lost answer: 409) still waits
          // for CDI's verdict when the claim is neither made nor refused yet
          if (existing.claimName() == null) refuseOverQuota(id);
          long have = existing.bytes();
          if (have != bytes || !ContentSource.of(existing.source()).equals(source))
            throw Status.ALREADY_EXISTS
                .withDescription(
                    "volume "
                        + request.getName()
                        + " exists with "
                        + have
                        + " bytes from "
                        + ContentSource.of(existing.source())
                        + ", this request asks for "
                        + bytes
                        + " bytes from "
                        + source)
                .asRuntimeException();
          return response(id, have, source);
        });
  }

  /**
   * When the under cluster's ResourceQuota refuses CDI's claim for the new DataVolume (the quota
   * webhook was down or skipped), the DataVolume is removed and the call fails RESOURCE_EXHAUSTED
   * with the quota's numbers: the tenant claim gets a ProvisioningFailed event naming them, and the
   * provisioner's retries succeed once the quota has room. Waits for CDI's verdict within the
   * call's deadline (less a second to answer in).
   */
  private void refuseOverQuota(String id) throws InterruptedException {
    Deadline deadline = Context.current().getDeadline();
    Duration within =
        deadline == null
            ? DataVolumes.ADMISSION_WAIT
            : Duration.ofMillis(deadline.timeRemaining(TimeUnit.MILLISECONDS) - 1_000);
    Optional<String> refused = volumes.quotaRefusal(id, within);
    if (refused.isEmpty()) return;
    volumes.delete(id);
    throw Status.RESOURCE_EXHAUSTED
        .withDescription(
            "insufficient storage quota: the under cluster's ResourceQuota refused the claim of"
                + " DataVolume "
                + volumes.config().namespace()
                + "/"
                + id
                + " ("
                + refused.get()
                + "); the DataVolume is removed, and provisioning succeeds once the quota has room")
        .asRuntimeException();
  }

  /** The size of what the volume starts from (0 for blank); a missing source is NOT_FOUND. */
  private long sourceBytes(ContentSource source) {
    return switch (source.kind()) {
      case BLANK -> 0;
      case SNAPSHOT -> {
        if (!offersSnapshots()) throw invalid("volume_content_source: " + SNAPSHOTS_OFF);
        yield snapshots
            .get(source.id())
            .orElseThrow(() -> notFound("snapshot " + source.id() + " does not exist"))
            .bytes();
      }
      case VOLUME ->
          volumes
              .get(source.id())
              .orElseThrow(() -> notFound("volume " + source.id() + " does not exist"))
              .bytes();
    };
  }

  /** The volume holds at least its source: a smaller limit is OUT_OF_RANGE. */
  private static long atLeast(long bytes, long source, CreateVolumeRequest request) {
    long limit = request.getCapacityRange().getLimitBytes();
    if (limit > 0 && source > limit)
      throw Status.OUT_OF_RANGE
          .withDescription("the source holds " + source + " bytes, limit_bytes is " + limit)
          .asRuntimeException();
    return Math.max(bytes, source);
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          volumes.delete(request.getVolumeId()); // absent, or another tenant's: nothing to do
          return DeleteVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void controllerPublishVolume(
      ControllerPublishVolumeRequest request, StreamObserver<ControllerPublishVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          if (request.getNodeId().isEmpty()) throw invalid("node_id is required");
          if (!request.hasVolumeCapability()) throw invalid("volume_capability is required");
          Capabilities.check(request.getVolumeCapability());
          String problem = Capabilities.problem(List.of(request.getVolumeCapability()));
          if (problem != null) throw invalid(problem);
          boolean shared =
              request.getVolumeCapability().getAccessMode().getMode()
                  == VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER;
          return ControllerPublishVolumeResponse.newBuilder()
              .putAllPublishContext(
                  attachments.publish(
                      request.getVolumeId(), request.getNodeId(), shared, request.getReadonly()))
              .build();
        });
  }

  @Override
  public void controllerUnpublishVolume(
      ControllerUnpublishVolumeRequest request,
      StreamObserver<ControllerUnpublishVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          if (request.getNodeId().isEmpty()) throw invalid("node_id is required");
          attachments.unpublish(request.getVolumeId(), request.getNodeId());
          return ControllerUnpublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void controllerExpandVolume(
      ControllerExpandVolumeRequest request, StreamObserver<ControllerExpandVolumeResponse> out) {
    calls.respondFor(
        request.getVolumeId(),
        out,
        () -> {
          long required = request.getCapacityRange().getRequiredBytes();
          long limit = request.getCapacityRange().getLimitBytes();
          if (required <= 0) throw invalid("capacity_range.required_bytes is required");
          if (limit > 0 && required > limit)
            throw Status.OUT_OF_RANGE
                .withDescription("required_bytes " + required + " > limit_bytes " + limit)
                .asRuntimeException();
          var dv =
              volumes
                  .get(request.getVolumeId())
                  .orElseThrow(
                      () -> notFound("volume " + request.getVolumeId() + " does not exist"));
          long have = dv.bytes();
          if (required > have) volumes.resize(request.getVolumeId(), required);
          return ControllerExpandVolumeResponse.newBuilder()
              .setCapacityBytes(Math.max(required, have))
              .setNodeExpansionRequired(!dv.block())
              .build();
        });
  }

  @Override
  public void validateVolumeCapabilities(
      ValidateVolumeCapabilitiesRequest request,
      StreamObserver<ValidateVolumeCapabilitiesResponse> out) {
    Calls.respond(
        out,
        () -> {
          if (request.getVolumeId().isEmpty()) throw invalid("volume_id is required");
          if (request.getVolumeCapabilitiesCount() == 0)
            throw invalid("volume_capabilities is required");
          for (VolumeCapability c : request.getVolumeCapabilitiesList()) Capabilities.check(c);
          if (volumes.get(request.getVolumeId()).isEmpty())
            throw notFound("volume " + request.getVolumeId() + " does not exist");
          String problem = Capabilities.problem(request.getVolumeCapabilitiesList());
          var response = ValidateVolumeCapabilitiesResponse.newBuilder();
          if (problem == null) {
            response.setConfirmed(
                ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                    .addAllVolumeCapabilities(request.getVolumeCapabilitiesList())
                    .putAllVolumeContext(request.getVolumeContextMap())
                    .putAllParameters(request.getParametersMap()));
          } else {
            response.setMessage(problem);
          }
          return response.build();
        });
  }

  @Override
  public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> out) {
    Calls.respond(
        out,
        () -> {
          List<DataVolume> all = volumes.list();
          Page page = Page.of(all.size(), request.getStartingToken(), request.getMaxEntries());
          var response = ListVolumesResponse.newBuilder();
          for (DataVolume dv : all.subList(page.start(), page.end()))
            response.addEntries(
                ListVolumesResponse.Entry.newBuilder().setVolume(volume(dv.name(), dv.bytes())));
          if (page.next() != null) response.setNextToken(page.next());
          return response.build();
        });
  }

  @Override
  public void createSnapshot(
      CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> out) {
    if (refusesSnapshots(out)) return;
    if (request.getName().isEmpty()) {
      out.onError(invalid("name is required"));
      return;
    }
    calls.respondFor(
        "snapshot/" + request.getName(),
        out,
        () -> {
          String volume = request.getSourceVolumeId();
          if (volume.isEmpty()) throw invalid("source_volume_id is required");
          String id = VolumeNames.objectName(request.getName());
          var existing = snapshots.get(id);
          if (existing.isPresent() && !existing.get().sourceVolume().equals(volume))
            throw Status.ALREADY_EXISTS
                .withDescription(
                    "snapshot "
                        + request.getName()
                        + " exists of volume "
                        + existing.get().sourceVolume()
                        + ", not of "
                        + volume)
                .asRuntimeException();
          if (existing.isEmpty()) {
            if (volumes.get(volume).isEmpty())
              throw notFound("volume " + volume + " does not exist");
            snapshots.create(id, volume, infraSnapshotClass(request.getParametersMap()));
          }
          var snapshot =
              snapshots
                  .get(id)
                  .orElseThrow(
                      () ->
                          Status.ABORTED
                              .withDescription("snapshot " + id + " vanished")
                              .asRuntimeException());
          return CreateSnapshotResponse.newBuilder().setSnapshot(csi(snapshot)).build();
        });
  }

  /**
   * The under-cluster class for a snapshot: the platform's mapping of the tenant class named by the
   * {@code snapshotClass} parameter (each rendered tenant class passes its own name). A tenant
   * never names an under-cluster class itself.
   */
  private String infraSnapshotClass(Map<String, String> parameters) {
    if (parameters.containsKey("infraSnapshotClassName"))
      throw invalid(
          "parameter infraSnapshotClassName is not taken from a tenant's VolumeSnapshotClass: the"
              + " platform maps tenant classes to under-cluster classes in the driver ConfigMap's"
              + " infraSnapshotClasses");
    try {
      return volumes.config().infraSnapshotClass(parameters.get("snapshotClass"));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  @Override
  public void deleteSnapshot(
      DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> out) {
    if (refusesSnapshots(out)) return;
    if (request.getSnapshotId().isEmpty()) {
      out.onError(invalid("snapshot_id is required"));
      return;
    }
    calls.respondFor(
        "snapshot/" + request.getSnapshotId(),
        out,
        () -> {
          snapshots.delete(request.getSnapshotId()); // absent, or another tenant's: nothing to do
          return DeleteSnapshotResponse.getDefaultInstance();
        });
  }

  @Override
  public void listSnapshots(
      ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> out) {
    if (refusesSnapshots(out)) return;
    Calls.respond(
        out,
        () -> {
          List<Snapshots.Snapshot> all =
              snapshots.list().stream()
                  .filter(
                      s ->
                          request.getSnapshotId().isEmpty()
                              || s.id().equals(request.getSnapshotId()))
                  .filter(
                      s ->
                          request.getSourceVolumeId().isEmpty()
                              || s.sourceVolume().equals(request.getSourceVolumeId()))
                  .toList();
          Page page = Page.of(all.size(), request.getStartingToken(), request.getMaxEntries());
          var response = ListSnapshotsResponse.newBuilder();
          for (var snapshot : all.subList(page.start(), page.end()))
            response.addEntries(
                ListSnapshotsResponse.Entry.newBuilder().setSnapshot(csi(snapshot)));
          if (page.next() != null) response.setNextToken(page.next());
          return response.build();
        });
  }

  private static Snapshot csi(Snapshots.Snapshot s) {
    return Snapshot.newBuilder()
        .setSnapshotId(s.id())
        .setSourceVolumeId(s.sourceVolume())
        .setSizeBytes(s.bytes())
        .setReadyToUse(s.ready())
        .setCreationTime(
            Timestamp.newBuilder()
                .setSeconds(s.created().getEpochSecond())
                .setNanos(s.created().getNano()))
        .build();
  }

  private static long size(CreateVolumeRequest request) {
    long required = request.getCapacityRange().getRequiredBytes();
    long limit = request.getCapacityRange().getLimitBytes();
    if (required < 0 || limit < 0) throw invalid("capacity_range may not be negative");
    if (limit > 0 && required > limit)
      throw invalid("capacity_range: required_bytes " + required + " > limit_bytes " + limit);
    long bytes = required > 0 ? required : DEFAULT_BYTES;
    if (limit > 0 && bytes > limit) bytes = limit;
    return bytes;
  }

  private static CreateVolumeResponse response(String name, long bytes, ContentSource source) {
    var volume = volume(name, bytes).toBuilder();
    if (source.kind() != ContentSource.Kind.BLANK) volume.setContentSource(source.csi());
    return CreateVolumeResponse.newBuilder().setVolume(volume).build();
  }

  private static Volume volume(String name, long bytes) {
    return Volume.newBuilder().setVolumeId(name).setCapacityBytes(bytes).build();
  }
}

package io.kmetal.csi.identity;

import com.google.protobuf.BoolValue;
import csi.v1.Csi.GetPluginCapabilitiesRequest;
import csi.v1.Csi.GetPluginCapabilitiesResponse;
import csi.v1.Csi.GetPluginInfoRequest;
import csi.v1.Csi.GetPluginInfoResponse;
import csi.v1.Csi.PluginCapability;
import csi.v1.Csi.ProbeRequest;
import csi.v1.Csi.ProbeResponse;
import csi.v1.IdentityGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The CSI Identity service: the driver's name and version, the capabilities of the services this
 * process actually serves, and readiness for the sidecars' and livenessprobe's {@code Probe}.
 */
public final class IdentityService extends IdentityGrpc.IdentityImplBase {
  /** The driver name: a drop-in for the upstream KubeVirt CSI driver's objects. */
  public static final String DRIVER_NAME = "csi.kubevirt.io";

  private final String version;
  private final List<PluginCapability> capabilities;
  private final BooleanSupplier ready;

  /**
   * @param capabilities what the plugin provides (see {@link #pluginCapabilities()})
   * @param ready whether the process can serve requests now (e.g. the under cluster answers)
   */
  public IdentityService(
      String version, List<PluginCapability> capabilities, BooleanSupplier ready) {
    this.version = version;
    this.capabilities = List.copyOf(capabilities);
    this.ready = ready;
  }

  /**
   * The plugin's capabilities, the same from both modes' sockets (callers such as csi-sanity read
   * them from the node socket too): a controller service, and expansion online and offline.
   */
  public static List<PluginCapability> pluginCapabilities() {
    return List.of(
        PluginCapability.newBuilder()
            .setService(
                PluginCapability.Service.newBuilder()
                    .setType(PluginCapability.Service.Type.CONTROLLER_SERVICE))
            .build(),
        expansion(PluginCapability.VolumeExpansion.Type.ONLINE),
        expansion(PluginCapability.VolumeExpansion.Type.OFFLINE));
  }

  private static PluginCapability expansion(PluginCapability.VolumeExpansion.Type type) {
    return PluginCapability.newBuilder()
        .setVolumeExpansion(PluginCapability.VolumeExpansion.newBuilder().setType(type))
        .build();
  }

  @Override
  public void getPluginInfo(
      GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> response) {
    response.onNext(
        GetPluginInfoResponse.newBuilder().setName(DRIVER_NAME).setVendorVersion(version).build());
    response.onCompleted();
  }

  @Override
  public void getPluginCapabilities(
      GetPluginCapabilitiesRequest request,
      StreamObserver<GetPluginCapabilitiesResponse> response) {
    response.onNext(
        GetPluginCapabilitiesResponse.newBuilder().addAllCapabilities(capabilities).build());
    response.onCompleted();
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
    response.onNext(
        ProbeResponse.newBuilder().setReady(BoolValue.of(ready.getAsBoolean())).build());
    response.onCompleted();
  }
}

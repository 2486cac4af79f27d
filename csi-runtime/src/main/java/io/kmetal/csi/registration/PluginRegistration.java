package io.kmetal.csi.registration;

import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import pluginregistration.Api.InfoRequest;
import pluginregistration.Api.PluginInfo;
import pluginregistration.Api.RegistrationStatus;
import pluginregistration.Api.RegistrationStatusResponse;
import pluginregistration.RegistrationGrpc;

/**
 * The kubelet's plugin-registration API, served by the node plugin itself (what upstream's
 * node-driver-registrar sidecar does): the kubelet's plugin watcher dials each socket that appears
 * in {@code /var/lib/kubelet/plugins_registry}, asks {@code GetInfo}, calls {@code NodeGetInfo} on
 * the CSI endpoint named there, and reports the outcome through {@code NotifyRegistrationStatus}. A
 * refused registration makes the plugin unhealthy, so its liveness probe restarts it and the
 * kubelet sees the socket anew.
 */
public final class PluginRegistration extends RegistrationGrpc.RegistrationImplBase {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(PluginRegistration.class);

  static final String CSI_PLUGIN = "CSIPlugin";

  /** The CSI versions the driver speaks, as the kubelet checks them. */
  static final List<String> SUPPORTED_VERSIONS = List.of("1.0.0");

  private final String driver;
  private final String kubeletEndpoint;
  private final AtomicReference<RegistrationStatus> status = new AtomicReference<>();

  /**
   * @param driver the CSI driver's name
   * @param kubeletEndpoint the CSI socket's path as the kubelet sees it (on the node)
   */
  public PluginRegistration(String driver, String kubeletEndpoint) {
    this.driver = driver;
    this.kubeletEndpoint = kubeletEndpoint;
  }

  /** The registration socket in {@code dir}, named as node-driver-registrar names it. */
  public static Path socket(Path dir, String driver) {
    return dir.resolve(driver + "-reg.sock");
  }

  @Override
  public void getInfo(InfoRequest request, StreamObserver<PluginInfo> response) {
    response.onNext(
        PluginInfo.newBuilder()
            .setType(CSI_PLUGIN)
            .setName(driver)
            .setEndpoint(kubeletEndpoint)
            .addAllSupportedVersions(SUPPORTED_VERSIONS)
            .build());
    response.onCompleted();
  }

  @Override
  public void notifyRegistrationStatus(
      RegistrationStatus request, StreamObserver<RegistrationStatusResponse> response) {
    status.set(request);
    if (request.getPluginRegistered()) {
      log.info("the kubelet registered {} at {}", driver, kubeletEndpoint);
    } else {
      log.warn("the kubelet refused {}: {}", driver, request.getError());
    }
    response.onNext(RegistrationStatusResponse.getDefaultInstance());
    response.onCompleted();
  }

  /** Whether the kubelet has reported a successful registration. */
  public boolean registered() {
    RegistrationStatus last = status.get();
    return last != null && last.getPluginRegistered();
  }

  /** Why the plugin is unhealthy: the kubelet refused its last registration. */
  public Optional<String> problem() {
    RegistrationStatus last = status.get();
    return last == null || last.getPluginRegistered()
        ? Optional.empty()
        : Optional.of("the kubelet refused the registration: " + last.getError());
  }
}

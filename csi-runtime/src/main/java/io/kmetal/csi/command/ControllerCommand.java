package io.kmetal.csi.command;

import io.grpc.BindableService;
import io.kmetal.contract.DriverFlags;
import io.kmetal.csi.controller.ControllerConfig;
import io.kmetal.csi.controller.ControllerService;
import io.kmetal.csi.disk.Bus;
import io.kmetal.csi.identity.IdentityService;
import io.kmetal.csi.infra.KubeInfraCluster;
import io.kmetal.csi.kube.KubeClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmetal-csi controller}: Identity and Controller in the under cluster, over {@link
 * KubeInfraCluster}.
 */
@Command(
    name = DriverFlags.Controller.MODE,
    description = "Serve Identity and Controller (under cluster).")
public final class ControllerCommand extends ServeCommand {
  @Option(
      names = DriverFlags.Controller.DRIVER_CONFIG,
      required = true,
      description =
          "The mounted driver ConfigMap: infraClusterNamespace, infraClusterLabels and"
              + " (optional) infraStorageClassEnforcement and infraSnapshotClasses")
  Path driverConfig;

  @Option(
      names = DriverFlags.Controller.TENANT_CLUSTER,
      description = "The tenant cluster's name (for logs)")
  String tenantCluster;

  @Option(
      names = DriverFlags.Controller.TENANT_KUBECONFIG,
      description = "The tenant cluster's kubeconfig (read by the sidecars, not the driver)")
  Path tenantKubeconfig;

  @Option(
      names = DriverFlags.Controller.BUS,
      defaultValue = "scsi",
      converter = BusConverter.class,
      description = "Hot-plug disk bus: scsi or virtio (default: ${DEFAULT-VALUE})")
  Bus bus;

  @Option(
      names = DriverFlags.Controller.ATTACH_TIMEOUT_SECONDS,
      defaultValue = "120",
      description =
          "How long a publish or unpublish waits for the VMI's volume status (at most the"
              + " call's deadline; default: ${DEFAULT-VALUE})")
  int attachTimeoutSeconds;

  @Option(
      names = DriverFlags.Controller.ADMISSION_WAIT_SECONDS,
      defaultValue = "30",
      description =
          "How long CreateVolume waits for CDI to make the new DataVolume's claim, so that a"
              + " ResourceQuota refusal comes back as RESOURCE_EXHAUSTED (at most the call's"
              + " deadline; 0: do not wait; default: ${DEFAULT-VALUE})")
  int admissionWaitSeconds;

  @Option(
      names = DriverFlags.Controller.UNDER_KUBECONFIG,
      description = "The under cluster's kubeconfig (default: the pod's service account)")
  Path underKubeconfig;

  @Override
  List<BindableService> services() throws IOException {
    ControllerConfig config;
    try {
      config = ControllerConfig.read(driverConfig);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(new ControllerCommand()),
          "--driver-config " + driverConfig + ": " + e.getMessage());
    }
    var under = new KubeInfraCluster(KubeClient.of(underKubeconfig), config.namespace());
    return List.of(
        new IdentityService(DriverCli.version(), IdentityService.pluginCapabilities(), () -> true),
        ControllerService.over(
            under,
            config,
            bus.wire(),
            Duration.ofSeconds(admissionWaitSeconds),
            Duration.ofSeconds(attachTimeoutSeconds)));
  }
}

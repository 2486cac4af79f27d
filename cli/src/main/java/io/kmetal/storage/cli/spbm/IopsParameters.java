package io.kmetal.storage.cli.spbm;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CSI drivers known to cap a volume's IOPS through StorageClass parameters, and those parameters.
 * Both listed drivers cap reads and writes separately; a vSAN limit counts them together.
 */
final class IopsParameters {
  record Driver(String product, List<String> parameters) {}

  private static final Map<String, Driver> KNOWN =
      Map.of(
          "pxd.portworx.com",
          new Driver(
              "Portworx (Application I/O Control)",
              List.of("io_throttle_rd_iops", "io_throttle_wr_iops")),
          "diskplugin.csi.alibabacloud.com",
          new Driver("Alibaba Cloud disk CSI", List.of("readIOPS", "writeIOPS")));

  private IopsParameters() {}

  static Optional<Driver> of(String provisioner) {
    return Optional.ofNullable(KNOWN.get(provisioner));
  }

  static List<String> knownDrivers() {
    return KNOWN.keySet().stream().sorted().toList();
  }
}

package io.kmetal.storage.cli.spbm;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One SPBM storage policy of the inventory, checked by {@link PolicyReader}. Optional settings are
 * null when the inventory leaves them out, so each decision can say whether it followed the policy
 * or a default.
 *
 * @param entry where it stands in the inventory, e.g. {@code policies[0]}
 * @param hostFailuresToTolerate FTT, 0 to 3
 * @param method null: not given (vSAN's default is RAID-1)
 * @param stripeWidth disk stripes per object, 1 to 12; null: not given (vSAN's default is 1)
 * @param storageType null: not given
 * @param iopsLimit IOPS limit per object; null or 0: none
 * @param vmCount VMs under the policy; null: not given
 * @param capacity the disks' provisioned size, as the VMs see it; null: not given
 * @param capacityText {@code capacity} as written, e.g. {@code 8000Gi}
 */
public record Policy(
    String entry,
    String name,
    int hostFailuresToTolerate,
    FailureToleranceMethod method,
    Integer stripeWidth,
    StorageType storageType,
    boolean encryption,
    Long iopsLimit,
    Long vmCount,
    BigInteger capacity,
    String capacityText) {
  public Policy {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(name, "name");
  }

  public boolean hasIopsLimit() {
    return iopsLimit != null && iopsLimit > 0;
  }
}

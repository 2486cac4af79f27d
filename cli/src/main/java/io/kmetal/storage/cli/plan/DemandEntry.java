package io.kmetal.storage.cli.plan;

import java.util.Objects;

/**
 * One demand entry as written, before it is checked against the fleet.
 *
 * @param entry where it stands: {@code demand[2]} (YAML) or {@code line 3} (CSV)
 * @param tier a tier's {@code name} or {@code storageClassName}; null when not given
 * @param vms the VM count as written; null when not given
 * @param averageSize a quantity such as {@code 200Gi}; null when not given
 */
public record DemandEntry(String entry, String tier, String vms, String averageSize) {
  public DemandEntry {
    Objects.requireNonNull(entry, "entry");
  }
}

package io.kmetal.storage.cli.plan;

import io.kmetal.storage.model.StorageTierSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks demand entries against a fleet's tiers: every entry names a tier (by name or
 * storageClassName) that declares {@code protection}, once; VM counts are whole numbers from 1;
 * sizes are quantities of whole bytes. Every problem is reported at once.
 */
public final class DemandRules {
  private DemandRules() {}

  /**
   * The demands of {@code file}, or {@link InvalidInputException} with every problem: the file's
   * own and those of its values.
   *
   * @param fleetSource the fleet file's name, for messages
   */
  public static List<Demand> resolve(
      DemandFile file, List<StorageTierSpec> tiers, String fleetSource) {
    Input in = new Input(file.source(), file.problems());
    List<DemandEntry> entries = file.entries();
    if (entries.isEmpty() && !in.hasProblems()) {
      in.add(Input.FILE, "lists no demand: " + DemandReader.EXAMPLE);
    }
    Map<String, String> plannedBy = new HashMap<>();
    List<Demand> demands = new ArrayList<>();
    for (DemandEntry e : entries) {
      String tierField = Input.field(e.entry(), "tier");
      StorageTierSpec tier = tier(in, e, tiers, fleetSource);
      if (tier != null) {
        String first = plannedBy.putIfAbsent(tier.name(), e.entry());
        if (first != null) {
          in.add(
              tierField,
              "tier "
                  + tier.name()
                  + " is already planned by "
                  + first
                  + "; give one entry per tier (add the VMs up, average the sizes)");
          tier = null;
        }
      }
      Long vms =
          in.wholeNumber(
              in.required(e.vms(), e.entry(), "vms"), e.entry(), "vms", 1, Long.MAX_VALUE);
      BigInteger size =
          in.bytes(
              in.required(e.averageSize(), e.entry(), "averageSize"), e.entry(), "averageSize");
      if (tier != null && vms != null && size != null) {
        demands.add(Demand.perVm(tier.name(), vms, size));
      }
    }
    in.throwIfAny();
    return demands;
  }

  private static StorageTierSpec tier(
      Input in, DemandEntry e, List<StorageTierSpec> tiers, String fleetSource) {
    String wanted = in.required(e.tier(), e.entry(), "tier");
    if (wanted == null) return null;
    String field = Input.field(e.entry(), "tier");
    int index = indexOf(tiers, wanted);
    if (index < 0) {
      in.add(
          field,
          "\""
              + wanted
              + "\" is not a tier of "
              + fleetSource
              + "; use a tier's name or storageClassName: "
              + tiers.stream().map(DemandRules::label).collect(Collectors.joining(", ")));
      return null;
    }
    StorageTierSpec tier = tiers.get(index);
    String where = "storageTiers[" + index + "] of " + fleetSource;
    if (tier.protection() == null) {
      in.add(
          field,
          "tier "
              + tier.name()
              + " ("
              + where
              + ") declares no protection, so its raw capacity is unknown: add protection to that"
              + " tier, e.g. protection: "
              + example(tier));
      return null;
    }
    return tier;
  }

  /** The tier called {@code wanted} by name, else by storageClassName; -1 when none. */
  private static int indexOf(List<StorageTierSpec> tiers, String wanted) {
    for (int i = 0; i < tiers.size(); i++) if (wanted.equals(tiers.get(i).name())) return i;
    for (int i = 0; i < tiers.size(); i++) {
      if (wanted.equals(tiers.get(i).storageClassName())) return i;
    }
    return -1;
  }

  /** A protection that suits the tier's backend, for the message. */
  private static String example(StorageTierSpec t) {
    if (t.isLocalPath()) return "{replicas: 1} (a local-path volume is one copy)";
    if (t.backend() != null
        && t.backend().cephRbd() != null
        && t.backend().cephRbd().dataPool() != null) {
      return "{erasureCoding: {dataChunks: 4, codingChunks: 2}, deviceClass: hdd} (its dataPool's"
          + " profile)";
    }
    return "{replicas: 3, deviceClass: ssd}";
  }

  private static String label(StorageTierSpec t) {
    return t.name().equals(t.storageClassName())
        ? t.name()
        : t.name() + " (" + t.storageClassName() + ")";
  }
}

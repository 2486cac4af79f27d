package io.kmetal.storage.cli.spbm;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmetal.storage.cli.plan.Input;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads an SPBM policy inventory:
 *
 * <pre>
 * policies:
 *   - name: Gold                      # required, unique
 *     hostFailuresToTolerate: 2       # required, 0 to 3
 *     failureToleranceMethod: RAID-1  # RAID-1 (default), RAID-5/6, RAID-5, RAID-6
 *     stripeWidth: 1                  # 1 (default) to 12
 *     storageType: nvme               # allFlash, hybrid, nvme, ssd, hdd
 *     encryption: true                # default false
 *     iopsLimit: 5000                 # per object; 0 or absent: none
 *     vmCount: 40                     # for --plan
 *     capacity: 8000Gi                # for --plan: the disks' provisioned size, as the VMs see it
 * </pre>
 *
 * Every problem is reported at once, with its entry and field.
 */
public final class PolicyReader {
  public static final List<String> FIELDS =
      List.of(
          "name",
          "hostFailuresToTolerate",
          "failureToleranceMethod",
          "stripeWidth",
          "storageType",
          "encryption",
          "iopsLimit",
          "vmCount",
          "capacity");
  static final String EXAMPLE =
      "give policies: [{name: Gold, hostFailuresToTolerate: 2, failureToleranceMethod: RAID-1}]";

  private PolicyReader() {}

  public static List<Policy> read(String text, String source) {
    Input in = new Input(source);
    JsonNode root = Input.yaml(text, source, EXAMPLE);
    JsonNode list = in.onlyKey(root, "policies", EXAMPLE);
    List<Policy> policies = new ArrayList<>();
    if (list == null || list.isNull() || (list.isArray() && list.isEmpty())) {
      in.add("policies", "lists no policy: " + EXAMPLE);
    } else if (!list.isArray()) {
      in.add("policies", "must be a list: " + EXAMPLE);
    } else {
      Map<String, String> names = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        String entry = "policies[" + i + "]";
        JsonNode node = list.get(i);
        if (!node.isObject()) {
          in.add(entry, "must be a mapping {name, hostFailuresToTolerate, ...}");
          continue;
        }
        in.onlyKnown(node, entry, FIELDS);
        policy(in, entry, node, names).ifPresent(policies::add);
      }
    }
    in.throwIfAny();
    return policies;
  }

  private static Optional<Policy> policy(
      Input in, String entry, JsonNode node, Map<String, String> names) {
    String name = in.required(in.scalar(node, entry, "name"), entry, "name");
    if (name != null) {
      String first = names.putIfAbsent(name, entry);
      if (first != null) {
        in.add(Input.field(entry, "name"), "\"" + name + "\" is already the name of " + first);
      }
    }
    Long ftt =
        in.wholeNumber(
            in.required(
                in.scalar(node, entry, "hostFailuresToTolerate"), entry, "hostFailuresToTolerate"),
            entry,
            "hostFailuresToTolerate",
            0,
            3);
    FailureToleranceMethod method =
        choice(
            in,
            entry,
            "failureToleranceMethod",
            in.scalar(node, entry, "failureToleranceMethod"),
            FailureToleranceMethod::parse,
            FailureToleranceMethod.ALLOWED);
    Long stripeWidth =
        in.wholeNumber(in.scalar(node, entry, "stripeWidth"), entry, "stripeWidth", 1, 12);
    StorageType storageType =
        choice(
            in,
            entry,
            "storageType",
            in.scalar(node, entry, "storageType"),
            StorageType::parse,
            StorageType.ALLOWED);
    Boolean encryption = in.bool(in.scalar(node, entry, "encryption"), entry, "encryption");
    Long iops =
        in.wholeNumber(in.scalar(node, entry, "iopsLimit"), entry, "iopsLimit", 0, Long.MAX_VALUE);
    Long vmCount =
        in.wholeNumber(in.scalar(node, entry, "vmCount"), entry, "vmCount", 0, Long.MAX_VALUE);
    String capacityText = in.scalar(node, entry, "capacity");
    BigInteger capacity = in.bytes(capacityText, entry, "capacity");
    if (name == null || ftt == null || in.hasProblems()) return Optional.empty();
    return Optional.of(
        new Policy(
            entry,
            name,
            ftt.intValue(),
            method,
            stripeWidth == null ? null : stripeWidth.intValue(),
            storageType,
            Boolean.TRUE.equals(encryption),
            iops,
            vmCount,
            capacity,
            capacityText));
  }

  private static <T> T choice(
      Input in,
      String entry,
      String field,
      String value,
      Function<String, Optional<T>> parse,
      String allowed) {
    if (value == null) return null;
    Optional<T> v = parse.apply(value);
    if (v.isEmpty()) {
      in.add(Input.field(entry, field), "\"" + value + "\" is not allowed; use one of " + allowed);
    }
    return v.orElse(null);
  }
}

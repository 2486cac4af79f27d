package io.kmetal.storage.cli.spbm;

import io.kmetal.storage.model.StorageTierSpec;
import java.util.List;
import java.util.Objects;

/**
 * What became of one policy: its tier with the decisions and gaps, or ({@code tier} null) why no
 * tier could be made.
 */
public record Mapping(
    Policy policy,
    String tierName,
    StorageTierSpec tier,
    List<Decision> decisions,
    List<Gap> gaps,
    String notMapped) {
  public Mapping {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(tierName, "tierName");
    decisions = List.copyOf(decisions);
    gaps = List.copyOf(gaps);
    if ((tier == null) == (notMapped == null)) {
      throw new IllegalArgumentException("a mapping has a tier or a reason it has none");
    }
  }

  public static Mapping mapped(
      Policy policy, StorageTierSpec tier, List<Decision> decisions, List<Gap> gaps) {
    return new Mapping(policy, tier.name(), tier, decisions, gaps, null);
  }

  public static Mapping notMapped(Policy policy, String tierName, String why) {
    return new Mapping(policy, tierName, null, List.of(), List.of(), why);
  }

  public boolean isMapped() {
    return tier != null;
  }

  /** {@code archive (policy "Archive"): why}. */
  public String notMappedLine() {
    return tierName + " (policy \"" + policy.name() + "\"): " + notMapped;
  }
}

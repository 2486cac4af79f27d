package io.kmetal.storage.model;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector: every {@code matchLabels} pair and every {@code matchExpressions}
 * requirement must hold. Empty selects everything.
 */
public record LabelSelectorSpec(
    Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
  public LabelSelectorSpec {
    matchLabels = Defaults.map(matchLabels);
    matchExpressions = Defaults.list(matchExpressions);
  }

  /**
   * One requirement: {@code key} {@code In}/{@code NotIn} {@code values}, or {@code Exists}/{@code
   * DoesNotExist}.
   */
  public record LabelSelectorRequirement(String key, String operator, List<String> values) {
    public LabelSelectorRequirement {
      values = Defaults.list(values);
    }
  }
}

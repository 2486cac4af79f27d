package io.kmetal.storage.cli.plan;

import io.kmetal.storage.model.validation.Problem;
import java.util.List;
import java.util.Objects;

/**
 * A demand file as read: its entries and the problems of its structure (unknown fields, lists where
 * values belong), which {@link DemandRules} reports together with the problems of the values.
 */
public record DemandFile(String source, List<DemandEntry> entries, List<Problem> problems) {
  public DemandFile {
    Objects.requireNonNull(source, "source");
    entries = List.copyOf(entries);
    problems = List.copyOf(problems);
  }
}

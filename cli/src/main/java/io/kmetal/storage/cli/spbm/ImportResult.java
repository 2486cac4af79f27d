package io.kmetal.storage.cli.spbm;

import io.kmetal.storage.model.StorageTierSpec;
import java.util.List;

/** Every policy's mapping, in the inventory's order. */
public record ImportResult(List<Mapping> mappings) {
  public ImportResult {
    mappings = List.copyOf(mappings);
  }

  public List<Mapping> mapped() {
    return mappings.stream().filter(Mapping::isMapped).toList();
  }

  public List<Mapping> notMapped() {
    return mappings.stream().filter(m -> !m.isMapped()).toList();
  }

  public List<StorageTierSpec> tiers() {
    return mapped().stream().map(Mapping::tier).toList();
  }

  public List<Decision> decisions() {
    return mapped().stream().flatMap(m -> m.decisions().stream()).toList();
  }

  public List<Gap> gaps() {
    return mapped().stream().flatMap(m -> m.gaps().stream()).toList();
  }
}

package io.kmetal.storage.cli.spbm;

import io.kmetal.storage.cli.plan.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps a whole inventory: a tier name per policy (distinct), then {@link SpbmMapper} on each. */
public final class SpbmImport {
  private SpbmImport() {}

  /**
   * Every policy's mapping; {@link io.kmetal.storage.cli.plan.InvalidInputException} when a name
   * gives no tier name or two give the same one.
   */
  public static ImportResult run(List<Policy> policies, ImportOptions options, String source) {
    Input in = new Input(source);
    Map<String, Policy> owners = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (Policy p : policies) {
      String field = Input.field(p.entry(), "name");
      Optional<String> name = TierNames.of(p.name());
      if (name.isEmpty()) {
        in.add(
            field, "\"" + p.name() + "\" has no letter or digit to make a tier name of; rename it");
        continue;
      }
      Policy owner = owners.putIfAbsent(name.get(), p);
      if (owner != null) {
        in.add(
            field,
            "\""
                + p.name()
                + "\" becomes tier "
                + name.get()
                + ", as "
                + owner.entry()
                + " (\""
                + owner.name()
                + "\") does; rename one of them");
      }
      names.add(name.get());
    }
    in.throwIfAny();
    List<Mapping> mappings = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      mappings.add(SpbmMapper.map(policies.get(i), names.get(i), options));
    }
    return new ImportResult(mappings);
  }
}

package io.kmetal.storage.cli.spbm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kmetal.storage.cli.plan.InvalidInputException;
import io.kmetal.storage.fleet.FleetFile;
import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes imported tiers as a fleet-file fragment ({@code storageTiers:}) with only the fields the
 * import sets, then reads the text back with the fleet file's own reader and validates every tier:
 * what is written is what a fleet file accepts.
 */
public final class TierYaml {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private TierYaml() {}

  /**
   * The fragment: {@code comments} as {@code #} lines, then {@code storageTiers}; {@link
   * InvalidInputException} (naming each tier's policy) when the validator refuses a tier.
   */
  public static String render(ImportResult result, List<String> comments, String source) {
    List<Map<String, Object>> tiers = new ArrayList<>();
    result.tiers().forEach(t -> tiers.add(tier(t)));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("storageTiers", tiers);
    StringBuilder text = new StringBuilder();
    comments.forEach(c -> text.append(c.isEmpty() ? "#" : "# " + c).append('\n'));
    try {
      text.append(YAML.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain maps and lists always serialize", e);
    }
    check(text.toString(), result, source);
    return text.toString();
  }

  private static void check(String text, ImportResult result, String source) {
    Fleet back = FleetFile.parse(text, "the imported tiers");
    if (!back.storageTiers().equals(result.tiers())) {
      throw new IllegalStateException("the written tiers read back differently:\n" + text);
    }
    List<Problem> problems = new ArrayList<>();
    List<Mapping> mapped = result.mapped();
    for (int i = 0; i < mapped.size(); i++) {
      String where = mapped.get(i).policy().entry() + " → storageTiers[" + i + "]";
      for (Problem p : Validator.validate(back.storageTiers().get(i))) {
        problems.add(new Problem(where + "." + p.field(), p.message()));
      }
    }
    if (!problems.isEmpty()) throw new InvalidInputException(source, problems);
  }

  static Map<String, Object> tier(StorageTierSpec t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    if (t.description() != null) m.put("description", t.description());
    m.put("backend", backend(t.backend()));
    m.put("protection", protection(t.protection()));
    return m;
  }

  private static Map<String, Object> backend(Backend b) {
    Map<String, Object> kind = new LinkedHashMap<>();
    if (b.csi() != null) {
      kind.put("provisioner", b.csi().provisioner());
      if (!b.csi().parameters().isEmpty()) kind.put("parameters", b.csi().parameters());
      return Map.of("csi", kind);
    }
    CephRbdBackend rbd = b.cephRbd();
    if (!CephRbdBackend.DEFAULT_PROVISIONER.equals(rbd.provisioner())) {
      kind.put("provisioner", rbd.provisioner());
    }
    kind.put("clusterID", rbd.clusterID());
    kind.put("pool", rbd.pool());
    if (rbd.dataPool() != null) kind.put("dataPool", rbd.dataPool());
    if (rbd.secretNamespace() != null) kind.put("secretNamespace", rbd.secretNamespace());
    return Map.of("cephRbd", kind);
  }

  private static Map<String, Object> protection(DataProtectionSpec p) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (p.replicas() != null) m.put("replicas", p.replicas());
    if (p.erasureCoding() != null) {
      Map<String, Object> ec = new LinkedHashMap<>();
      ec.put("dataChunks", p.erasureCoding().dataChunks());
      ec.put("codingChunks", p.erasureCoding().codingChunks());
      m.put("erasureCoding", ec);
    }
    if (p.deviceClass() != null) m.put("deviceClass", p.deviceClass());
    if (p.encrypted()) m.put("encrypted", true);
    return m;
  }
}

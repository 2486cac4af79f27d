package io.kmetal.storage.internal.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes rendered manifests as one YAML file per object under {@code under/} and {@code
 * tenants/<namespace>/<cluster>/}. Files are prefixed with their apply order (namespaces and RBAC
 * before workloads). The two folders are replaced as a whole, so a rendered folder never keeps
 * objects a previous render had.
 */
public final class ManifestWriter {
  static final String PATCH_HEADER =
      "# Server-side-apply patch: another controller owns this object; apply these fields only"
          + " and never delete it.\n";
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                  .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                  .disable(YAMLGenerator.Feature.SPLIT_LINES)
                  .build())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private ManifestWriter() {}

  /** The files to write, relative path to content, in apply order. Pure. */
  public static Map<String, String> files(List<Manifest> manifests) {
    Map<String, String> files = new LinkedHashMap<>();
    manifests.stream()
        .sorted(
            Comparator.comparing((Manifest m) -> m.target().folder())
                .thenComparingInt(m -> ApplyOrder.of(m.kind())))
        .forEach(m -> files.put(fileName(m), yaml(m)));
    return files;
  }

  /** One object as YAML (with a header when it is a patch). */
  public static String yaml(Manifest m) {
    try {
      String body = YAML.writeValueAsString(m.object());
      return m.ownership() == Ownership.PATCH ? PATCH_HEADER + body : body;
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String fileName(Manifest m) {
    String ns = m.namespace() == null ? "" : m.namespace() + ".";
    return String.format(
        Locale.ROOT,
        "%s/%02d-%s.%s%s.yaml",
        m.target().folder(),
        ApplyOrder.of(m.kind()),
        m.kind().toLowerCase(Locale.ROOT),
        ns,
        m.name());
  }

  /**
   * Writes into {@code dir}, replacing its {@code under} and {@code tenants} folders. Files are
   * first written to a staging folder, so a failure leaves the previous render in place.
   */
  public static void write(Map<String, String> files, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path staging = Files.createTempDirectory(dir, ".kmetal-render-");
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path path = staging.resolve(f.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, f.getValue());
      }
      for (String top : List.of("under", "tenants")) {
        deleteTree(dir.resolve(top));
        if (Files.exists(staging.resolve(top))) Files.move(staging.resolve(top), dir.resolve(top));
      }
    } finally {
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** Apply order: what others depend on first. */
  static final class ApplyOrder {
    private static final List<String> ORDER =
        List.of(
            "Namespace",
            "StorageClass",
            "CSIDriver",
            "ResourceQuota",
            "ServiceAccount",
            "ClusterRole",
            "Role",
            "ClusterRoleBinding",
            "RoleBinding",
            "ConfigMap",
            "Service",
            "Deployment",
            "DaemonSet",
            "VolumeSnapshotClass",
            "StorageProfile",
            "HostPathProvisioner",
            "KubeVirt",
            "ValidatingWebhookConfiguration");

    private ApplyOrder() {}

    static int of(String kind) {
      int i = ORDER.indexOf(kind);
      return i < 0 ? ORDER.size() : i;
    }
  }
}

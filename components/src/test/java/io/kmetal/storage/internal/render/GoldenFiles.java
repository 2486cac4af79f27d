package io.kmetal.storage.internal.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Compares rendered manifests with {@code
 * src/test/resources/io/kmetal/storage/internal/render/<case>.yaml}. Run with {@code
 * -Dgolden.update=true} to rewrite the files after an intended change, then review the diff.
 */
final class GoldenFiles {
  private static final Path DIR = Path.of("src/test/resources/io/kmetal/storage/internal/render");

  private GoldenFiles() {}

  static void assertMatches(String name, List<Manifest> manifests) throws IOException {
    String actual = asText(manifests);
    Path file = DIR.resolve(name + ".yaml");
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(DIR);
      Files.writeString(file, actual);
    }
    if (!Files.exists(file)) {
      throw new AssertionError(
          file + " is missing: run the test with -Dgolden.update=true and review it");
    }
    assertEquals(
        Files.readString(file),
        actual,
        "rendered manifests differ from " + file + " (-Dgolden.update=true rewrites it)");
  }

  /** Every file the render CLI would write, each under a {@code # <path>} line. */
  static String asText(List<Manifest> manifests) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> f : ManifestWriter.files(manifests).entrySet()) {
      sb.append("---\n# ").append(f.getKey()).append('\n').append(f.getValue());
    }
    return sb.toString();
  }
}

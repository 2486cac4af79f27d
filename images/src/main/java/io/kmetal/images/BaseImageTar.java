package io.kmetal.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A root filesystem as a one-layer base image in the {@code docker save} tarball format, which jib
 * reads with {@code Jib.from(TarImage.at(…))}. jib's own layers follow symbolic links (a Debian
 * root filesystem would lose its links and grow twice), so the Debian layer is written here and the
 * Java runtime and the jar are added by jib on top of it.
 */
final class BaseImageTar {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private BaseImageTar() {}

  /** Writes {@code rootfs} as the image tarball {@code tar}; returns the layer's diff id. */
  static String write(Path rootfs, Path tar, String description) throws IOException {
    Path layer = tar.resolveSibling(tar.getFileName() + ".layer");
    MessageDigest sha256 = Digests.sha256();
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(layer), sha256)) {
      LayerTar.write(rootfs, out);
    }
    String diffId = "sha256:" + HexFormat.of().formatHex(sha256.digest());
    Map<String, Object> config =
        Map.of(
            "architecture", "amd64",
            "os", "linux",
            "config", Map.of(),
            "rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)),
            "history",
                List.of(Map.of("created", "1970-01-01T00:00:00Z", "created_by", description)));
    List<Map<String, Object>> manifest =
        List.of(
            Map.of("Config", "config.json", "RepoTags", List.of(), "Layers", List.of("layer.tar")));
    try (var out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      add(out, "manifest.json", JSON.writeValueAsBytes(manifest));
      add(out, "config.json", JSON.writeValueAsBytes(config));
      TarArchiveEntry entry = entry("layer.tar");
      entry.setSize(Files.size(layer));
      out.putArchiveEntry(entry);
      Files.copy(layer, out);
      out.closeArchiveEntry();
      out.finish();
    } finally {
      Files.deleteIfExists(layer);
    }
    return diffId;
  }

  private static void add(TarArchiveOutputStream out, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = entry(name);
    entry.setSize(bytes.length);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setModTime(Date.from(LayerTar.TIMESTAMP));
    entry.setMode(0100644);
    return entry;
  }
}

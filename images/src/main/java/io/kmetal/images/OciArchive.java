package io.kmetal.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An OCI image archive read as a container runtime reads it: index → manifest → config and layers,
 * the layers unpacked in order into a root filesystem (whiteouts honoured). {@code ImagesIT} starts
 * the driver from one, and {@code ./kmetal bench csi memory} measures it there.
 */
public record OciArchive(
    JsonNode index, JsonNode manifest, JsonNode config, Map<String, byte[]> blobs) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static OciArchive read(Path archive) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (var tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) files.put(e.getName(), tar.readAllBytes());
      }
    }
    JsonNode index = JSON.readTree(files.get("index.json"));
    JsonNode manifest = JSON.readTree(blob(files, index.path("manifests").path(0)));
    JsonNode config = JSON.readTree(blob(files, manifest.path("config")));
    return new OciArchive(index, manifest, config, files);
  }

  private static byte[] blob(Map<String, byte[]> files, JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    byte[] bytes = files.get("blobs/" + digest.replace(':', '/'));
    if (bytes == null) throw new IOException("no blob " + digest + " in the archive");
    return bytes;
  }

  /** The reference the index names the image by. */
  String referenceName() {
    return index
        .path("manifests")
        .path(0)
        .path("annotations")
        .path("org.opencontainers.image.ref.name")
        .asText();
  }

  public List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
    return entrypoint;
  }

  /** The folder the image's command starts in ({@code WorkingDir}; {@code /} when unset). */
  public String workingDir() {
    String dir = config.path("config").path("WorkingDir").asText("");
    return dir.isEmpty() ? "/" : dir;
  }

  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    for (JsonNode n : config.path("config").path("Env")) {
      String kv = n.asText();
      env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return env;
  }

  String user() {
    return config.path("config").path("User").asText("0:0");
  }

  /** Unpacks every layer, in order, into {@code rootfs}. */
  public void unpack(Path rootfs) throws IOException {
    for (JsonNode layer : manifest.path("layers")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob(blobs, layer)));
          var tar = new TarArchiveInputStream(in)) {
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
          apply(rootfs, e, tar);
        }
      }
    }
  }

  private static void apply(Path rootfs, TarArchiveEntry e, InputStream content)
      throws IOException {
    Path target = rootfs.resolve(e.getName()).normalize();
    if (!target.startsWith(rootfs)) throw new IOException("entry outside the root: " + e.getName());
    String base = target.getFileName() == null ? "" : target.getFileName().toString();
    if (base.equals(".wh..wh..opq")) { // opaque directory: lower layers' contents go
      RootFs.deleteTree(target.getParent());
      Files.createDirectories(target.getParent());
      return;
    }
    if (base.startsWith(".wh.")) { // whiteout: the named file of a lower layer goes
      RootFs.deleteTree(target.resolveSibling(base.substring(4)));
      return;
    }
    if (e.isDirectory()) {
      Files.createDirectories(target);
    } else {
      Files.createDirectories(target.getParent());
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target)) {
        Files.delete(target);
      }
      if (e.isSymbolicLink()) {
        Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        return;
      } else if (e.isLink()) {
        Files.createLink(target, rootfs.resolve(e.getLinkName()));
        return;
      } else {
        Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.setPosixFilePermissions(target, permissions(e.getMode()));
    // as a runtime's unpacker does: the JVM checks its class archive's jar by size and time
    Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) set.add(bits[i]);
    }
    return set;
  }
}

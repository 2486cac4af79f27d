package io.kmetal.images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A directory as an uncompressed layer tar, byte for byte the same for the same files: entries in
 * name order, owned by root, every timestamp jib's (1970-01-01T00:00:01Z). Unlike jib's own layers
 * it keeps symbolic links, hard links and the setuid, setgid and sticky bits, which a Debian root
 * filesystem is full of.
 */
final class LayerTar {
  /** The modification time jib gives every file it adds. */
  static final Instant TIMESTAMP = Instant.ofEpochSecond(1);

  private static final int TYPE_DIR = 0040000;
  private static final int TYPE_FILE = 0100000;
  private static final int TYPE_LINK = 0120000;

  private LayerTar() {}

  static void write(Path root, OutputStream out) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(p -> !p.equals(root)).sorted().toList();
    }
    Map<Object, String> firstByInode = new HashMap<>();
    try (var tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path p : paths) {
        String name = root.relativize(p).toString();
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        TarArchiveEntry entry;
        Path content = null;
        if (Files.isSymbolicLink(p)) {
          entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
          entry.setLinkName(Files.readSymbolicLink(p).toString());
          entry.setMode(TYPE_LINK | 0777);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entry = new TarArchiveEntry(name + "/");
          entry.setMode(TYPE_DIR | mode);
        } else {
          Object inode = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
          int links = (Integer) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
          String first = links > 1 ? firstByInode.putIfAbsent(inode, name) : null;
          if (first != null) {
            entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
            entry.setLinkName(first);
          } else {
            entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(p));
            content = p;
          }
          entry.setMode(TYPE_FILE | mode);
        }
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setModTime(Date.from(TIMESTAMP));
        tar.putArchiveEntry(entry);
        if (content != null) Files.copy(content, tar);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}

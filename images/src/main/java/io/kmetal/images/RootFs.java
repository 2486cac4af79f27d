package io.kmetal.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A root filesystem from Debian packages: each {@code .deb} unpacked with {@code dpkg-deb -x} (no
 * maintainer scripts run), documentation dropped except the copyright files, and what every image
 * needs on top: {@code /tmp} (the JVM's attach socket), the mount points {@code /csi}, {@code
 * /proc}, {@code /sys} and {@code /dev}, and {@code /etc/passwd} and {@code /etc/group} naming root
 * and the non-root user 65532.
 */
final class RootFs {
  private static final List<String> DROPPED =
      List.of(
          "usr/share/man",
          "usr/share/info",
          "usr/share/lintian",
          "usr/share/locale",
          "usr/share/bug",
          "usr/share/bash-completion");

  private RootFs() {}

  /** Unpacks {@code debs} into {@code dir}, which is emptied first. */
  static Path unpack(List<Path> debs, Path dir) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir);
    for (Path deb : debs) {
      Processes.run(dir, List.of("dpkg-deb", "-x", deb.toString(), dir.toString()));
    }
    for (String d : DROPPED) deleteTree(dir.resolve(d));
    Path doc = dir.resolve("usr/share/doc");
    if (Files.isDirectory(doc)) {
      try (Stream<Path> files = Files.walk(doc)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          boolean keep =
              f.getFileName().toString().equals("copyright")
                  || (Files.isDirectory(f) && hasCopyright(f));
          if (!keep) Files.delete(f);
        }
      }
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\n"
            + "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nnonroot:x:65532:\n");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    for (String mountPoint : List.of("csi", "proc", "sys", "dev")) {
      Files.createDirectories(dir.resolve(mountPoint));
    }
    return dir;
  }

  /**
   * A link {@code /bin/<applet>} to {@code /bin/busybox} for every applet the unpacked busybox
   * lists (the static binary runs on the build machine), where no file of that name exists.
   */
  static void linkBusyboxApplets(Path dir) throws IOException {
    Path busybox = dir.resolve("bin/busybox");
    for (String applet : Processes.run(dir, List.of(busybox.toString(), "--list")).split("\n")) {
      if (applet.isBlank() || applet.contains("/")) continue;
      Path link = dir.resolve("bin").resolve(applet.strip());
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS))
        Files.createSymbolicLink(link, Path.of("busybox"));
    }
  }

  private static boolean hasCopyright(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().equals("copyright"));
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }
}

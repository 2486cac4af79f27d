package io.kmetal.csi.node;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What is mounted where, read from {@code /proc/self/mountinfo} (the kernel's own table; no {@code
 * findmnt} process per check). The source is named as findmnt names it: the device, plus {@code
 * [/dir]} for a bind mount of a directory inside its filesystem.
 */
final class MountTable {
  private MountTable() {}

  /** The source mounted at {@code target} (the topmost mount there), if any. */
  static Optional<String> sourceAt(String mountinfo, Path target) {
    String wanted = target.toAbsolutePath().normalize().toString();
    String found = null;
    for (String line : mountinfo.split("\n")) {
      String[] fields = line.split(" ");
      int dash = line.indexOf(" - ");
      if (fields.length < 5 || dash < 0) continue;
      if (!unescape(fields[4]).equals(wanted)) continue;
      String[] after = line.substring(dash + 3).split(" ");
      if (after.length < 2) continue;
      String root = unescape(fields[3]);
      String source = unescape(after[1]);
      found = root.equals("/") ? source : source + "[" + root + "]";
    }
    return Optional.ofNullable(found);
  }

  /** mountinfo writes space, tab, newline and backslash as {@code \ooo} octal escapes. */
  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) return field;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        try {
          out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
          i += 3;
          continue;
        } catch (NumberFormatException e) {
          // not an escape: keep the backslash
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}

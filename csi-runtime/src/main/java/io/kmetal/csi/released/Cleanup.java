package io.kmetal.csi.released;

import io.kmetal.contract.Ages;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The clean-up of Released volumes: lists what {@link ReleasedVolume#removable} allows, and, when
 * asked, deletes them one at a time, each read again just before (a volume that changed since the
 * list is left alone and said so).
 */
public final class Cleanup {
  private final Volumes volumes;
  private final PrintWriter out;

  public Cleanup(Volumes volumes, PrintWriter out) {
    this.volumes = volumes;
    this.out = out;
  }

  /** The {@code --older-than} value, or the command line's usage error naming the flag. */
  public static Duration age(String text, CommandLine cli) {
    try {
      return Ages.parse(text, "--older-than");
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage());
    }
  }

  /**
   * Lists (and with {@code delete}, deletes) the removable volumes, of {@code storageClass} only
   * unless it is null; 0 when all went as asked.
   */
  public int run(Duration olderThan, String storageClass, boolean delete) {
    List<ReleasedVolume> removable =
        volumes.list().stream()
            .filter(v -> storageClass == null || storageClass.equals(v.storageClass()))
            .filter(v -> v.removable(olderThan))
            .sorted(Comparator.comparing(ReleasedVolume::name))
            .toList();
    out.printf(
        Locale.ROOT,
        "%-40s %-24s %-40s %10s %6s%n",
        "VOLUME",
        "CLASS",
        "FORMER CLAIM",
        "SIZE",
        "AGE");
    long bytes = 0;
    for (ReleasedVolume v : removable) {
      bytes += v.bytes();
      out.printf(
          Locale.ROOT,
          "%-40s %-24s %-40s %10s %6s%n",
          v.name(),
          v.storageClass(),
          v.claim(),
          gib(v.bytes()),
          Ages.show(v.age()));
    }
    out.printf(
        Locale.ROOT,
        "%d Released volume(s) of Retain classes, %s%s%n",
        removable.size(),
        gib(bytes),
        delete ? "" : " (dry run: --delete --yes deletes them)");
    if (!delete) return 0;
    int left = 0;
    for (ReleasedVolume v : removable) {
      var now = volumes.get(v.name());
      if (now.isEmpty()) {
        out.println("gone already: " + v.name());
      } else if (!now.get().removable(olderThan) || !volumes.delete(now.get())) {
        out.println("left alone, it changed since the list: " + v.name());
        left++;
      } else {
        out.println("deleted: " + v.name());
      }
    }
    out.flush();
    return left == 0 ? 0 : 1;
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1fGi", bytes / (double) (1L << 30));
  }
}

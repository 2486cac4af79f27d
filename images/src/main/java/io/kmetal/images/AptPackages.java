package io.kmetal.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Debian packages through the machine's apt: {@code apt-cache depends} for the closure, {@code
 * apt-cache show} for the candidate versions, {@code apt-get download} into a cache folder. A
 * {@code .deb} already in the cache is used as it is, so a warm build downloads nothing.
 */
public final class AptPackages implements PackageSource {
  private static final Path LISTS = Path.of("/var/lib/apt/lists");
  private final Path cache;

  /** Downloads into {@code cache} (created when missing). */
  public AptPackages(Path cache) {
    this.cache = cache;
  }

  @Override
  public List<Path> fetch(Collection<String> roots, Set<String> leftOut) throws IOException {
    Files.createDirectories(cache);
    if (!hasLists()) Processes.run(cache, List.of("apt-get", "update", "-q"));
    List<String> depends = new ArrayList<>(List.of("apt-cache", "depends", "--recurse"));
    depends.addAll(
        List.of(
            "--no-recommends",
            "--no-suggests",
            "--no-conflicts",
            "--no-breaks",
            "--no-replaces",
            "--no-enhances"));
    depends.addAll(roots);
    List<String> names =
        DependencyClosure.parse(Processes.run(cache, depends)).closure(roots, leftOut);

    Map<String, Path> debs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Candidate c : candidates(names)) {
      Path deb = cache.resolve(c.fileName());
      debs.put(c.name(), deb);
      if (!Files.isRegularFile(deb)) missing.add(c.name() + "=" + c.version());
    }
    if (!missing.isEmpty()) {
      List<String> download = new ArrayList<>(List.of("apt-get", "download", "-q"));
      download.addAll(missing);
      Processes.run(cache, download);
    }
    for (Path deb : debs.values()) {
      if (!Files.isRegularFile(deb)) {
        throw new IOException("apt-get download left no " + deb);
      }
    }
    return List.copyOf(debs.values());
  }

  private static boolean hasLists() throws IOException {
    if (!Files.isDirectory(LISTS)) return false;
    try (Stream<Path> files = Files.list(LISTS)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith("_Packages"));
    }
  }

  /** One package's candidate version, as {@code apt-get download} names its file. */
  record Candidate(String name, String version, String architecture) {
    String fileName() {
      return name + "_" + version.replace(":", "%3a") + "_" + architecture + ".deb";
    }
  }

  private List<Candidate> candidates(List<String> names) throws IOException {
    List<String> show = new ArrayList<>(List.of("apt-cache", "show", "--no-all-versions"));
    show.addAll(names);
    return parseShow(Processes.run(cache, show));
  }

  /** The Package, Version and Architecture fields of each stanza {@code apt-cache show} prints. */
  static List<Candidate> parseShow(String show) {
    List<Candidate> candidates = new ArrayList<>();
    for (String stanza : show.split("\n\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : stanza.split("\n")) {
        int colon = line.indexOf(": ");
        if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
          fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 2).strip());
        }
      }
      if (fields.containsKey("Package")) {
        candidates.add(
            new Candidate(
                fields.get("Package"), fields.get("Version"), fields.get("Architecture")));
      }
    }
    return candidates;
  }
}

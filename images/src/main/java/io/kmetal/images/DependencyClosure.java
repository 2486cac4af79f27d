package io.kmetal.images;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dependency graph {@code apt-cache depends --recurse} prints, and the closure of some root
 * packages over it. Each Depends or PreDepends line is a group of alternatives: the named package,
 * the packages the output lists as providing it, and the next line when this one starts with {@code
 * |}. The closure takes the first alternative that is a real package and not left out; virtual
 * packages ({@code <name>}) are never picked themselves.
 */
final class DependencyClosure {
  private static final Pattern DEPENDENCY = Pattern.compile("^ ([ |])(PreDepends|Depends): (.+)$");
  private static final Pattern PROVIDER = Pattern.compile("^ {4}(\\S+)$");

  /** Real package → its dependency groups, each a list of alternatives in preference order. */
  private final Map<String, List<List<String>>> packages;

  private DependencyClosure(Map<String, List<List<String>>> packages) {
    this.packages = packages;
  }

  /** Parses the output of {@code apt-cache depends --recurse [--no-recommends …] ROOTS}. */
  static DependencyClosure parse(String aptCacheDepends) {
    Map<String, List<List<String>>> packages = new LinkedHashMap<>();
    List<List<String>> current = null;
    List<String> group = null;
    boolean continues = false;
    for (String line : aptCacheDepends.split("\n")) {
      if (line.isBlank()) continue;
      if (!Character.isWhitespace(line.charAt(0))) {
        String name = line.strip();
        current =
            name.startsWith("<") ? null : packages.computeIfAbsent(name, n -> new ArrayList<>());
        group = null;
        continues = false;
        continue;
      }
      if (current == null) continue; // a virtual package's own section: its providers are listed
      Matcher dependency = DEPENDENCY.matcher(line);
      Matcher provider = PROVIDER.matcher(line);
      if (dependency.matches()) {
        if (group == null || !continues) {
          group = new ArrayList<>();
          current.add(group);
        }
        group.add(withoutArch(dependency.group(3)));
        continues = dependency.group(1).equals("|");
      } else if (provider.matches() && group != null) {
        group.add(withoutArch(provider.group(1)));
      } else {
        group = null; // another relation (Recommends, Conflicts, …): ignored
        continues = false;
      }
    }
    return new DependencyClosure(packages);
  }

  /**
   * {@code roots} and everything they need, sorted by name, without the packages in {@code leftOut}
   * and what only they need.
   */
  List<String> closure(Collection<String> roots, Set<String> leftOut) {
    Set<String> chosen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (String root : roots) {
      if (!packages.containsKey(root)) {
        throw new IllegalArgumentException("no Debian package '" + root + "' in apt's lists");
      }
      todo.add(root);
    }
    while (!todo.isEmpty()) {
      String name = todo.poll();
      if (leftOut.contains(name) || !chosen.add(name)) continue;
      for (List<String> alternatives : packages.get(name)) {
        alternatives.stream()
            .filter(a -> packages.containsKey(a) && !leftOut.contains(a))
            .findFirst()
            .ifPresent(todo::add);
      }
    }
    return List.copyOf(chosen);
  }

  private static String withoutArch(String name) {
    String n = name.strip();
    int colon = n.indexOf(':');
    if (colon < 0) return n;
    return n.startsWith("<") ? n.substring(0, colon) + ">" : n.substring(0, colon);
  }
}

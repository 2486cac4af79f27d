package io.kmetal.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The closure over {@code apt-cache depends --recurse} output: a small hand-written graph for the
 * format's corner cases, and bookworm's real output for util-linux, libpam0g and xfsprogs.
 */
class DependencyClosureTest {
  private static final String GRAPH =
      String.join(
          "\n",
          "app",
          "  PreDepends: libc",
          "  Depends: libsystemd",
          "    libelogind",
          " |Depends: debconf",
          "  Depends: <debconf-2.0>",
          "    cdebconf",
          "    debconf",
          "  Depends: <python3:any>",
          "    python3",
          "  Recommends: docs",
          "libc",
          "  Depends: libgcc",
          "libgcc",
          "  Depends: libc",
          "libsystemd",
          "  Depends: libc",
          "libelogind",
          "  Depends: libc",
          "<debconf-2.0>",
          "debconf",
          "  PreDepends: perl-base",
          "cdebconf",
          "  Depends: libc",
          "perl-base",
          "python3",
          "  Depends: libc",
          "docs",
          "");

  static Stream<Arguments> closures() {
    return Stream.of(
        Arguments.of(
            "nothing left out: the first real alternative, providers of virtual packages",
            Set.of(),
            List.of("app", "debconf", "libc", "libgcc", "libsystemd", "perl-base", "python3")),
        Arguments.of(
            "left out packages and what only they need are gone",
            Set.of("debconf", "cdebconf", "python3"),
            List.of("app", "libc", "libgcc", "libsystemd")),
        Arguments.of(
            "an alternative's provider stands in for a left-out package",
            Set.of("libsystemd", "debconf", "python3"),
            List.of("app", "cdebconf", "libc", "libelogind", "libgcc")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("closures")
  void closureFollowsDependsAndPreDependsOnly(
      String why, Set<String> leftOut, List<String> expected) {
    assertEquals(expected, DependencyClosure.parse(GRAPH).closure(List.of("app"), leftOut));
  }

  @Test
  void unknownRootIsAnErrorNamingIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DependencyClosure.parse(GRAPH).closure(List.of("nope"), Set.of()));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }

  @Test
  void bookwormNodeToolsNeedNeitherPerlNorPythonNorDebconf() throws IOException {
    String output;
    try (InputStream in = getClass().getResourceAsStream("apt-cache-depends.txt")) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> closure =
        DependencyClosure.parse(output)
            .closure(List.of("util-linux", "xfsprogs"), ImageSpec.LEFT_OUT);
    assertTrue(closure.containsAll(List.of("libblkid1", "libmount1", "libc6", "libpam0g")));
    for (String gone : List.of("perl-base", "python3", "debconf", "cdebconf", "libicu72", "dpkg")) {
      assertFalse(closure.contains(gone), gone + " in " + closure);
    }
  }

  @Test
  void aptCacheShowStanzasNameTheDownloadedFiles() {
    String show =
        "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\nDescription: x\n"
            + " more: text\n\nPackage: libaudit-common\nVersion: 1:3.0.9-1\nArchitecture: all\n";
    assertEquals(
        List.of("zlib1g_1%3a1.2.13.dfsg-1_amd64.deb", "libaudit-common_1%3a3.0.9-1_all.deb"),
        AptPackages.parseShow(show).stream().map(AptPackages.Candidate::fileName).toList());
  }
}

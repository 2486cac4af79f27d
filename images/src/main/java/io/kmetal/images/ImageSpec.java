package io.kmetal.images;

import static java.util.Objects.requireNonNull;

import io.kmetal.storage.model.Images;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One image of the driver: its reference (the one {@code TenantStorage} renders), the Debian
 * packages its base layer starts from, and the user it runs as.
 *
 * @param name short name, also the archive's file name ({@code <name>.tar})
 * @param reference the image reference inside the archive
 * @param packages the Debian packages whose dependency closure forms the base layer
 * @param user the container's user ({@code uid} or {@code uid:gid})
 */
public record ImageSpec(String name, String reference, List<String> packages, String user) {
  /** What the jlinked Java runtime loads: libjvm (libstdc++, libgcc), libjli and libzip (zlib). */
  static final List<String> JAVA_PACKAGES = List.of("libc6", "libgcc-s1", "libstdc++6", "zlib1g");

  /**
   * Packages the closure never includes: maintainer-script machinery (debconf, dpkg, perl) and the
   * interpreters and libraries of tools the driver never runs (python3 for xfs_scrub_all, ICU for
   * xfs_scrub). Nothing ever configures packages inside the image.
   */
  public static final Set<String> LEFT_OUT =
      Set.of(
          "debconf",
          "cdebconf",
          "dpkg",
          "install-info",
          "perl-base",
          "perl",
          "python3",
          "libicu72",
          "tar");

  public static final ImageSpec CONTROLLER =
      new ImageSpec("controller", Images.CONTROLLER, JAVA_PACKAGES, "65532:65532");

  /** Runs as root: the node plugin formats and mounts devices. */
  public static final ImageSpec NODE =
      new ImageSpec(
          "node",
          Images.NODE,
          concat(JAVA_PACKAGES, List.of("util-linux", "mount", "e2fsprogs", "xfsprogs")),
          "0:0");

  public static final List<ImageSpec> ALL = List.of(CONTROLLER, NODE);

  public ImageSpec {
    requireNonNull(name, "name");
    requireNonNull(reference, "reference");
    packages = List.copyOf(packages);
    requireNonNull(user, "user");
  }

  /** The spec called {@code name}: {@code controller} or {@code node}. */
  public static ImageSpec named(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException("no image '" + name + "' (known: controller, node)"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}

package io.kmetal.images;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds image archives: Debian packages → base image tarball, the jlinked runtime, the driver jar,
 * assembled by jib. The downloaded packages live in the cache folder (shared by checkouts); the
 * runtime, the base tarballs and jib's layer caches in the work folder.
 *
 * @param jars the folder of the driver's shaded jars (each image names its own)
 * @param out where {@code <name>.tar} is written
 * @param cache the downloads cache ({@code .deb} files under {@code debs/})
 * @param work intermediate files
 * @param jdk the JDK 17 that jlinks the runtime
 * @param tools the test-bed tools' binaries ({@code testbed/tools/build.sh}), for the tool images
 */
public record ImageBuild(Path jars, Path out, Path cache, Path work, Path jdk, Path tools) {
  public ImageBuild {
    requireNonNull(tools, "tools");
    requireNonNull(jars, "jars");
    requireNonNull(out, "out");
    requireNonNull(cache, "cache");
    requireNonNull(work, "work");
    requireNonNull(jdk, "jdk");
  }

  /**
   * The project's layout from its root folder: the jars and the archives under {@code
   * csi-runtime/target}, downloads in {@code $KMETAL_CACHE/images} (default {@code
   * ~/.cache/kmetal-storage/images}), intermediates in {@code images/target/work}, the tools in
   * {@code $KMETAL_CACHE/tools/bin}.
   */
  public static ImageBuild defaults(Path root) {
    String kmetalCache = System.getenv("KMETAL_CACHE");
    Path cache =
        kmetalCache == null || kmetalCache.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "kmetal-storage")
            : Path.of(kmetalCache);
    return new ImageBuild(
        root.resolve("csi-runtime/target"),
        root.resolve("csi-runtime/target/images"),
        cache.resolve("images"),
        root.resolve("images/target/work"),
        JavaRuntime.defaultJdk(),
        cache.resolve("tools/bin"));
  }

  /** The archive {@link #build} writes for {@code spec}. */
  public Path archive(ImageSpec spec) {
    return out.resolve(spec.name() + ".tar");
  }

  /** Builds the archives of {@code specs}; returns their paths in the same order. */
  public List<Path> build(List<ImageSpec> specs) throws IOException, InterruptedException {
    PackageSource packages = new AptPackages(cache.resolve("debs"));
    ImageAssembler assembler = new ImageAssembler(work.resolve("jib"));
    Path runtime = null;
    List<Path> archives = new ArrayList<>();
    for (ImageSpec spec : specs) {
      List<Path> debs =
          spec.packages().isEmpty()
              ? List.of()
              : packages.fetch(spec.packages(), ImageSpec.LEFT_OUT);
      Path rootfs = work.resolve("rootfs-" + spec.name());
      Path base = work.resolve(spec.name() + "-base.tar");
      try {
        RootFs.unpack(debs, rootfs);
        if (spec.content() instanceof ImageSpec.Busybox) RootFs.linkBusyboxApplets(rootfs);
        BaseImageTar.write(rootfs, base, "kmetal images: " + debs.size() + " Debian packages");
      } finally {
        RootFs.deleteTree(rootfs);
      }
      Path archive = archive(spec);
      if (spec.content() instanceof ImageSpec.Tool tool) {
        Path binary = requireFile(tools.resolve(tool.binary()), TOOLS_HINT);
        assembler.assembleTool(spec, base, binary, tool, archive);
      } else if (spec.content() instanceof ImageSpec.Busybox busybox) {
        assembler.assembleBase(spec, base, busybox.entrypoint(), archive);
      } else {
        // one runtime for both images, linked for the whole driver: the same layer in each
        if (runtime == null)
          runtime =
              new JavaRuntime(jdk, work)
                  .forJar(requireFile(jars.resolve(ImageSpec.DRIVER_JAR), DRIVER_HINT));
        var driver = (ImageSpec.Driver) spec.content();
        Path jar = requireFile(jars.resolve(driver.jar()), DRIVER_HINT);
        Path classes = new ClassArchive(work).forJar(runtime, jar, driver.training());
        assembler.assembleDriver(spec, base, runtime, jar, classes, archive);
      }
      archives.add(archive);
    }
    return archives;
  }

  private static final String DRIVER_HINT =
      "build it first (mvn -pl csi-runtime -am package -DskipTests)";
  private static final String TOOLS_HINT = "build the test-bed tools first (./kmetal tools all)";

  private static Path requireFile(Path file, String hint) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException(file + " is missing: " + hint);
    return file;
  }
}

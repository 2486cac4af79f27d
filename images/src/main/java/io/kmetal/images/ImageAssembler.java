package io.kmetal.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.kmetal.storage.model.Images;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Assembles an image with jib-core, without a daemon: the Debian base image tarball, then for the
 * driver a layer with the Java runtime at {@code /opt/java} and one with the driver jar (so a
 * driver change rebuilds only the last layer), for a tool a layer with its binary. Written as an
 * OCI archive; jib's fixed timestamps make it reproducible, but for the class-data-sharing archives
 * JDK 17 writes anew each time (cached in the work folder, so a rebuild there is identical).
 */
final class ImageAssembler {
  static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get(Images.DRIVER_JAVA_HOME);
  static final AbsoluteUnixPath HOME = AbsoluteUnixPath.get(Images.DRIVER_HOME);
  static final AbsoluteUnixPath JAR = AbsoluteUnixPath.get(Images.DRIVER_JAR);
  static final AbsoluteUnixPath CLASSES = AbsoluteUnixPath.get(Images.DRIVER_CLASS_ARCHIVE);

  /** {@link Images#DRIVER_JVM_FLAGS}, one argument each. */
  static final List<String> JVM_FLAGS = List.of(Images.DRIVER_JVM_FLAGS.split(" "));

  static final AbsoluteUnixPath ROOT = AbsoluteUnixPath.get("/");

  /** The image's class archive, mapped in place ({@link Images#CLASS_ARCHIVE_IN_PLACE}). */
  static final List<String> CLASS_SHARING =
      List.of((Images.CLASS_ARCHIVE_IN_PLACE + " -XX:SharedArchiveFile=" + CLASSES).split(" "));

  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Path cache;

  /** Keeps jib's base-image and application layer caches under {@code cache}. */
  ImageAssembler(Path cache) {
    this.cache = cache;
  }

  /**
   * The container's command: java with {@link #JVM_FLAGS} and the class archive, on the jar named
   * as the archive was dumped with it (relative, from the working directory {@link #HOME}).
   */
  static List<String> entrypoint() {
    List<String> entrypoint = new ArrayList<>();
    entrypoint.add(JAVA_HOME.resolve("bin/java").toString());
    entrypoint.addAll(JVM_FLAGS);
    entrypoint.addAll(CLASS_SHARING);
    entrypoint.add("-jar");
    entrypoint.add(Images.DRIVER_JAR_NAME);
    return entrypoint;
  }

  /** The driver: the Java runtime, the jar and its class archive on the base, run as java -jar. */
  JibContainer assembleDriver(
      ImageSpec spec, Path baseTar, Path javaHome, Path jar, Path classes, Path archive)
      throws IOException, InterruptedException {
    FileEntriesLayer java =
        FileEntriesLayer.builder()
            .setName("java runtime")
            .addEntryRecursive(
                javaHome, JAVA_HOME, ImageAssembler::permissions, (source, target) -> TIME)
            .build();
    FileEntriesLayer app =
        FileEntriesLayer.builder()
            .setName("driver")
            .addEntry(jar, JAR, FilePermissions.fromOctalString("644"), TIME)
            .addEntry(classes, CLASSES, FilePermissions.fromOctalString("644"), TIME)
            .build();
    Map<String, String> environment = environment();
    environment.put("JAVA_HOME", JAVA_HOME.toString());
    return containerize(
        spec,
        Jib.from(TarImage.at(baseTar))
            .addFileEntriesLayer(java)
            .addFileEntriesLayer(app)
            .setEntrypoint(entrypoint())
            .setEnvironment(environment),
        HOME,
        archive);
  }

  /** A tool: its binary at {@code tool.path()} on the base, as the entrypoint. */
  JibContainer assembleTool(
      ImageSpec spec, Path baseTar, Path binary, ImageSpec.Tool tool, Path archive)
      throws IOException, InterruptedException {
    FileEntriesLayer layer =
        FileEntriesLayer.builder()
            .setName(tool.binary())
            .addEntry(
                binary,
                AbsoluteUnixPath.get(tool.path()),
                FilePermissions.fromOctalString("755"),
                TIME)
            .build();
    return containerize(
        spec,
        Jib.from(TarImage.at(baseTar))
            .addFileEntriesLayer(layer)
            .setEntrypoint(tool.path())
            .setEnvironment(environment()),
        ROOT,
        archive);
  }

  /** The base layer alone, with {@code entrypoint}. */
  JibContainer assembleBase(ImageSpec spec, Path baseTar, List<String> entrypoint, Path archive)
      throws IOException, InterruptedException {
    return containerize(
        spec,
        Jib.from(TarImage.at(baseTar)).setEntrypoint(entrypoint).setEnvironment(environment()),
        ROOT,
        archive);
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>(); // ordered: a reproducible config
    environment.put("PATH", PATH);
    return environment;
  }

  private JibContainer containerize(
      ImageSpec spec, JibContainerBuilder image, AbsoluteUnixPath workingDirectory, Path archive)
      throws IOException, InterruptedException {
    Map<String, String> labels = new LinkedHashMap<>(); // ordered: a reproducible config
    labels.put("org.opencontainers.image.title", "kmetal-storage " + spec.name());
    labels.put("org.opencontainers.image.version", Images.VERSION);
    Files.createDirectories(archive.getParent());
    try {
      return image
          .setUser(spec.user())
          .setWorkingDirectory(workingDirectory)
          .setLabels(labels)
          .setCreationTime(Instant.EPOCH)
          .setFormat(ImageFormat.OCI)
          .containerize(
              Containerizer.to(TarImage.at(archive).named(spec.reference()))
                  .setBaseImageLayersCache(cache.resolve("jib-base"))
                  .setApplicationLayersCache(cache.resolve("jib-app"))
                  .setToolName("kmetal-images")
                  .addEventHandler(LogEvent.class, ImageAssembler::log));
    } catch (ExecutionException | RegistryException e) {
      throw new IOException("jib could not build " + spec.reference() + ": " + e.getMessage(), e);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("not an image reference: " + spec.reference(), e);
    } catch (CacheDirectoryCreationException e) {
      throw new IOException("jib's cache under " + cache + ": " + e.getMessage(), e);
    }
  }

  private static final Instant TIME = LayerTar.TIMESTAMP;

  private static FilePermissions permissions(Path source, AbsoluteUnixPath target) {
    try {
      return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void log(LogEvent event) {
    if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN) {
      System.err.println("jib: " + event.getMessage());
    }
  }
}

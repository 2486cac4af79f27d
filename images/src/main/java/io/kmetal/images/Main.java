package io.kmetal.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code kmetal-images [--root DIR] [driver|sandbox|all|NAME ...]}: builds image archives from the
 * project folder {@code DIR} (default: the current folder) and prints each archive's path and size.
 * {@code driver} (the default) is the controller and node images; {@code sandbox} the images the
 * sandbox's real nodes run besides them (sidecars, local-path provisioner, pause, busybox).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of("");
    List<ImageSpec> specs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--root") && i + 1 < args.length) {
        root = Path.of(args[++i]);
      } else if (args[i].equals("-h") || args[i].equals("--help")) {
        System.out.println("usage: kmetal-images [--root DIR] [driver|sandbox|all|NAME ...]");
        return;
      } else {
        try {
          specs.addAll(group(args[i]));
        } catch (IllegalArgumentException e) {
          System.err.println("kmetal-images: " + e.getMessage());
          System.exit(2);
        }
      }
    }
    if (specs.isEmpty()) specs = ImageSpec.DRIVER;
    long start = System.nanoTime();
    ImageBuild build = ImageBuild.defaults(root.toAbsolutePath().normalize());
    List<Path> archives = build.build(specs);
    for (Path archive : archives) {
      System.out.printf(
          Locale.ROOT, "%s  %.1f MiB%n", archive, Files.size(archive) / (1024.0 * 1024.0));
    }
    System.err.printf(
        Locale.ROOT, "kmetal-images: built in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static List<ImageSpec> group(String name) {
    return switch (name) {
      case "driver" -> ImageSpec.DRIVER;
      case "sandbox" -> ImageSpec.SANDBOX;
      case "all" -> ImageSpec.ALL;
      default -> List.of(ImageSpec.named(name));
    };
  }
}

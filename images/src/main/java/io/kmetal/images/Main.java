package io.kmetal.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code kmetal-images [--root DIR] [controller|node ...]}: builds the driver's image archives
 * (both by default) from the project folder {@code DIR} (default: the current folder) and prints
 * each archive's path and size.
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
        System.out.println("usage: kmetal-images [--root DIR] [controller|node ...]");
        return;
      } else {
        try {
          specs.add(ImageSpec.named(args[i]));
        } catch (IllegalArgumentException e) {
          System.err.println("kmetal-images: " + e.getMessage());
          System.exit(2);
        }
      }
    }
    if (specs.isEmpty()) specs = ImageSpec.ALL;
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
}

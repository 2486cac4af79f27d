package io.kmetal.images;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the machine's tools (apt, dpkg-deb, jdeps, jlink) and returns what they print. */
final class Processes {
  private Processes() {}

  /**
   * Runs {@code command} in {@code dir} and returns its standard output; a non-zero exit is an
   * IOException carrying the command and its standard error.
   */
  static String run(Path dir, List<String> command) throws IOException {
    Path err = Files.createTempFile("kmetal-images-", ".err");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectError(err.toFile())
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      if (exit != 0) {
        throw new IOException(
            String.join(" ", command)
                + " exited with "
                + exit
                + ": "
                + Files.readString(err).strip());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(String.join(" ", command) + " interrupted");
    } finally {
      Files.deleteIfExists(err);
    }
  }
}

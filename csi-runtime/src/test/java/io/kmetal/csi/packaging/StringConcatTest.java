package io.kmetal.csi.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.contract.DriverFlags;
import io.kmetal.csi.NodeMain;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The driver's classes and the contract's concatenate strings with StringBuilder calls, as the
 * build's {@code -XDstringConcat=inline} compiles them: an invokedynamic concatenation spins
 * method-handle classes at run time, outside the images' class archive (about 1.2 MiB of the node
 * plugin's memory).
 */
class StringConcatTest {
  private static final String INDY_CONCAT = "makeConcatWithConstants";

  @Test
  void noClassOfTheDriverOrTheContractConcatenatesThroughInvokedynamic() throws Exception {
    List<String> indy = new ArrayList<>();
    int classes = 0;
    for (Class<?> from : List.of(NodeMain.class, DriverFlags.class)) {
      try (Classes root = Classes.of(from)) {
        for (Path file : root.files()) {
          classes++;
          if (ConstantPool.strings(Files.readAllBytes(file)).contains(INDY_CONCAT))
            indy.add(file.toString());
        }
      }
    }
    assertTrue(classes > 100, "read " + classes + " classes");
    assertEquals(List.of(), indy);
  }

  /** The class files beside {@code from}: its output folder, or the jar it came in. */
  private record Classes(Path root, FileSystem jar) implements AutoCloseable {
    static Classes of(Class<?> from) throws IOException, URISyntaxException {
      Path source = Path.of(from.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(source)) return new Classes(source, null);
      FileSystem jar = FileSystems.newFileSystem(source);
      return new Classes(jar.getPath("/"), jar);
    }

    List<Path> files() throws IOException {
      try (Stream<Path> all = Files.walk(root)) {
        return all.filter(p -> p.toString().endsWith(".class")).toList();
      }
    }

    @Override
    public void close() throws IOException {
      if (jar != null) jar.close();
    }
  }
}

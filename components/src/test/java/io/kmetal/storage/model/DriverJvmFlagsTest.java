package io.kmetal.storage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The images' JVM flags, started on a JVM that sees one CPU, as a small VM or a CPU limit does. */
class DriverJvmFlagsTest {

  @Test
  void onOneCpuTheCommonPoolStillRunsAsyncTasksOnPooledThreads() throws Exception {
    // below 2, CompletableFuture starts a thread per task: one per response of the JDK's client
    assertEquals("2", runWithImageFlags(CommonPool.class));
  }

  /** Prints the common pool's parallelism, as the driver's JVM would have it. */
  public static final class CommonPool {
    public static void main(String[] args) {
      System.out.print(ForkJoinPool.getCommonPoolParallelism());
    }
  }

  private static String runWithImageFlags(Class<?> main) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=1"));
    command.addAll(List.of(Images.DRIVER_JVM_FLAGS.split(" ")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), out);
    return out.strip();
  }
}

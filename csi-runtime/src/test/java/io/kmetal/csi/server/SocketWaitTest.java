package io.kmetal.csi.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketWaitTest {
  @TempDir Path dir;

  @Test
  void returnsOnceTheSocketAppears() throws Exception {
    Path socket = dir.resolve("csi.sock");
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return SocketWait.await(socket, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(300);
    assertFalse(waited.isDone(), "returned before the socket existed");
    Files.createFile(socket);
    assertTrue(waited.get(10, TimeUnit.SECONDS));
  }

  @Test
  void givesUpWhenTheSocketNeverAppears() throws Exception {
    assertFalse(SocketWait.await(dir.resolve("csi.sock"), Duration.ofMillis(250)));
  }
}

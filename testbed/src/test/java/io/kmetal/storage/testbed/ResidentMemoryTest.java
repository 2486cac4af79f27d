package io.kmetal.storage.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {
  @Test
  void aRunningJvmHoldsMegabytesAndAProcessThatIsGoneNothing() throws Exception {
    long self = ResidentMemory.kib(ProcessHandle.current().pid()).orElseThrow();
    assertTrue(self > 10_000, self + " KiB");

    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    assertEquals(OptionalLong.empty(), ResidentMemory.kib(exited.pid()));
  }
}

package io.kmetal.storage.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What a process of this machine holds in memory: {@code VmRSS} from {@code /proc/<pid>/status},
 * the figure the benchmarks, the node figures and the real-nodes E2E print.
 */
public final class ResidentMemory {
  private ResidentMemory() {}

  /**
   * {@code VmRSS} of {@code pid} in KiB; empty when the process is gone (or is a kernel thread).
   */
  public static OptionalLong kib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
        if (line.startsWith("VmRSS:"))
          return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")));
    } catch (IOException gone) {
      // exited, or never was
    }
    return OptionalLong.empty();
  }
}

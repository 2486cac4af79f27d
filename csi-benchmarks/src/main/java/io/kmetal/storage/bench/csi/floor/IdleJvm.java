package io.kmetal.storage.bench.csi.floor;

/** A JVM that loads nothing of its own and waits to be stopped. */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }
}

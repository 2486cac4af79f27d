package io.kmetal.storage.bench.csi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a benchmark must undo (processes, mounts, loop devices, API objects), undone last-in
 * first-out by {@link #close()}, or by a shutdown hook when the run is interrupted. A step undone
 * early ({@link Undo#now()}) is not run again.
 */
public final class Teardown implements AutoCloseable {
  /** One undo action. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  /** A registered step; {@link #now()} runs it at once (and only once). */
  public static final class Undo {
    private final String what;
    private final Step step;
    private final AtomicBoolean done = new AtomicBoolean();

    private Undo(String what, Step step) {
      this.what = what;
      this.step = step;
    }

    /** Runs the step now; a failure propagates (the caller decides whether it matters). */
    public void now() throws Exception {
      if (done.compareAndSet(false, true)) step.run();
    }

    private void quietly() {
      try {
        now();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        System.err.println("cleanup: " + what + " was interrupted");
      } catch (Exception e) {
        System.err.println("cleanup: " + what + " failed: " + e.getMessage());
      }
    }
  }

  private final Deque<Undo> steps = new ArrayDeque<>();
  private final Thread hook = new Thread(this::undoAll, "csi-bench-teardown");

  public Teardown() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers {@code step}, described by {@code what} in a failure's message. */
  public synchronized Undo add(String what, Step step) {
    steps.removeIf(u -> u.done.get());
    Undo undo = new Undo(what, step);
    steps.push(undo);
    return undo;
  }

  private void undoAll() {
    List<Undo> pending;
    synchronized (this) {
      pending = new ArrayList<>(steps);
      steps.clear();
    }
    pending.forEach(Undo::quietly);
  }

  @Override
  public void close() {
    undoAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (and finds nothing left)
    }
  }
}

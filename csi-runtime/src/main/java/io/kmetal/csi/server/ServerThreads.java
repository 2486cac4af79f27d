package io.kmetal.csi.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the driver's gRPC servers, shared by all of them in a process: the calls'
 * handlers, the transport's (a listener per server and a reader per connection) and one timer; and
 * the same kind of pool for the driver's other listeners ({@link #cached}).
 *
 * <p>In place of grpc-java's defaults, which name their threads with Guava's {@code
 * ThreadFactoryBuilder}: its {@code String.format} loads the JDK's formatter and locale data, some
 * 30 classes a process holds for its life only to number thread names. Idle threads end after
 * {@link #IDLE_SECONDS}, sooner than the defaults' minute: a node plugin is idle between the
 * kubelet's calls, and a thread it keeps holds its stack and malloc arena.
 */
public final class ServerThreads {
  private static final long IDLE_SECONDS = 15;

  static final ExecutorService CALLS = cached("csi-call-", Integer.MAX_VALUE);
  static final ExecutorService TRANSPORT = cached("csi-transport-", Integer.MAX_VALUE);
  static final ScheduledExecutorService TIMER = timer();

  private ServerThreads() {}

  /**
   * Daemon threads named {@code prefix} and a number, started as work comes and ended after {@link
   * #IDLE_SECONDS} idle; past {@code maxThreads} busy at once, {@code execute} throws {@link
   * java.util.concurrent.RejectedExecutionException}.
   */
  public static ThreadPoolExecutor cached(String prefix, int maxThreads) {
    return new ThreadPoolExecutor(
        0, maxThreads, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), numbered(prefix));
  }

  private static ScheduledExecutorService timer() {
    var timer = new ScheduledThreadPoolExecutor(1, numbered("csi-timer-"));
    timer.setRemoveOnCancelPolicy(true); // keep-alive and handshake timers are mostly cancelled
    return timer;
  }

  private static ThreadFactory numbered(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return work -> {
      Thread thread = new Thread(work, prefix + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }
}

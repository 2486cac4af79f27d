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
 * handlers, the transport's (a listener per server and a reader per connection) and one timer.
 *
 * <p>In place of grpc-java's defaults, which name their threads with Guava's {@code
 * ThreadFactoryBuilder}: its {@code String.format} loads the JDK's formatter and locale data, some
 * 30 classes a process holds for its life only to number thread names. Idle threads end after
 * {@link #IDLE_SECONDS}, sooner than the defaults' minute: a node plugin is idle between the
 * kubelet's calls, and a thread it keeps holds its stack and malloc arena.
 */
final class ServerThreads {
  private static final long IDLE_SECONDS = 15;

  static final ExecutorService CALLS = cached("csi-call-");
  static final ExecutorService TRANSPORT = cached("csi-transport-");
  static final ScheduledExecutorService TIMER = timer();

  private ServerThreads() {}

  private static ExecutorService cached(String prefix) {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        IDLE_SECONDS,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        numbered(prefix));
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

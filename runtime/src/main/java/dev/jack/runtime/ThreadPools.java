package dev.jack.runtime;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The controller's thread pools. */
public final class ThreadPools {

  private ThreadPools() {}

  /**
   * A pool of {@code threads} threads named {@code name-1}, {@code name-2}..., which start with
   * work and end when idle for {@code idle}; work beyond them waits in order.
   */
  public static ThreadPoolExecutor pool(String name, int threads, Duration idle, boolean daemon) {
    return pool(name, threads, idle, daemon, new LinkedBlockingQueue<>());
  }

  /** The same, with the work beyond the threads waiting in {@code queue}. */
  public static ThreadPoolExecutor pool(
      String name, int threads, Duration idle, boolean daemon, BlockingQueue<Runnable> queue) {
    AtomicInteger counter = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            Math.max(1, threads),
            Math.max(1, threads),
            idle.toMillis(),
            TimeUnit.MILLISECONDS,
            queue,
            task -> {
              Thread thread = new Thread(task, name + "-" + counter.incrementAndGet());
              thread.setDaemon(daemon);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * A kind's reconcile threads, {@code reconcile-<name>-1}...: they start when work comes and end
   * after a minute idle, so a process serving many kinds holds only the threads its load needs.
   */
  public static ThreadPoolExecutor reconciles(String name, int threads) {
    return pool("reconcile-" + name, threads, Duration.ofMinutes(1), false);
  }
}

package dev.jack.runtime;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * One kind's share of reconciles ({@code --reconcile-resource-max-concurrent-syncs}): at most
 * {@code limit} run at once, on a pool of the kind's own whose threads start when work comes and
 * end after a minute idle. A reconcile that waits for its turn at a throttled service's rate
 * limiter lends its place meanwhile: the pool gains a thread for the wait, and another resource of
 * the kind (in another region or account, or one that needs no call of that service) runs in the
 * place; the reconcile takes a place again when its turn comes. So a throttled region never holds
 * up the kind's resources elsewhere. At most {@code limit × }{@link #LENDING} reconciles wait so at
 * once; beyond that a wait keeps its place.
 */
public final class ReconcileShare {

  /** How many reconciles, per place of the share, may wait for a turn without holding a place. */
  static final int LENDING = 4;

  /** A shorter wait keeps its place: a thread for it would cost more than it gives. */
  static final Duration LEND_FROM = Duration.ofMillis(50);

  private static final ThreadLocal<ReconcileShare> CURRENT = new ThreadLocal<>();

  private final String name;
  private final int limit;
  private ThreadPoolExecutor pool;
  private Semaphore places;
  private int lent;

  /**
   * @param name the kind's controller ({@code s3-bucket}), which names its threads
   * @param limit how many of the kind's reconciles run at once
   */
  public ReconcileShare(String name, int limit) {
    this.name = name;
    this.limit = Math.max(1, limit);
  }

  /**
   * A new pool for the kind's reconciles (one for each start of the kind's controller, which shuts
   * it down when it stops).
   */
  public synchronized ThreadPoolExecutor newPool() {
    pool = ThreadPools.reconciles(name, limit);
    // In order: a reconcile back from its wait is not overtaken by those that came after it.
    places = new Semaphore(limit, true);
    lent = 0;
    return pool;
  }

  /**
   * Whether a reconcile whose first call would wait this long for its turn goes ahead now: a short
   * wait, or one that can lend its place. Otherwise the resource is better put back until its turn:
   * a throttled region then holds none of the kind's places.
   */
  public synchronized boolean mayWait(Duration wait) {
    return !lends(wait) || lent < limit * LENDING;
  }

  /** Whether a wait this long lends its place when it may: a shorter one keeps it. */
  private static boolean lends(Duration wait) {
    return wait.compareTo(LEND_FROM) >= 0;
  }

  /** Runs one reconcile in a place of the share. */
  public <T> T run(Supplier<T> reconcile) {
    Semaphore held = places();
    held.acquireUninterruptibly();
    CURRENT.set(this);
    try {
      return reconcile.get();
    } finally {
      CURRENT.remove();
      held.release();
    }
  }

  private synchronized Semaphore places() {
    return places;
  }

  /**
   * Waits {@code wait} on this thread; in a reconcile of a share, lending its place meanwhile when
   * the wait is long enough and the share may lend.
   */
  static void await(Duration wait) throws InterruptedException {
    ReconcileShare share = CURRENT.get();
    Semaphore lentPlace = share == null || !lends(wait) ? null : share.lend();
    try {
      Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
    } finally {
      if (lentPlace != null) {
        share.reclaim(lentPlace);
      }
    }
  }

  /** Gives the current reconcile's place to the next one, on a thread added for it. */
  private synchronized Semaphore lend() {
    if (lent >= limit * LENDING) {
      return null;
    }
    lent++;
    resize();
    places.release();
    return places;
  }

  /** Takes a place again after a wait: at once when one is free, else when a reconcile ends. */
  private void reclaim(Semaphore lentPlace) {
    synchronized (this) {
      if (lentPlace == places) {
        lent--;
        resize();
      }
    }
    lentPlace.acquireUninterruptibly();
  }

  private void resize() {
    int size = limit + lent;
    if (size > pool.getMaximumPoolSize()) {
      pool.setMaximumPoolSize(size);
      pool.setCorePoolSize(size);
    } else {
      pool.setCorePoolSize(size);
      pool.setMaximumPoolSize(size);
    }
  }

  /** Reconciles waiting for a rate limiter's turn without a place. */
  synchronized int lent() {
    return lent;
  }
}

package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A kind's share of reconciles, with real threads: who runs, and who lends a place while waiting.
 */
class ReconcileShareTest {

  private ThreadPoolExecutor pool;

  /** Reconciles that hold a place now, and the most that ever did at once. */
  private final AtomicInteger running = new AtomicInteger();

  private final AtomicInteger mostRunning = new AtomicInteger();

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private void working(int delta) {
    mostRunning.accumulateAndGet(running.addAndGet(delta), Math::max);
  }

  /** A reconcile: some work, then a wait for a rate limiter's turn, then more work. */
  private Future<?> reconcile(ReconcileShare share, Duration turn, CountDownLatch waiting) {
    return pool.submit(
        () ->
            share.run(
                () -> {
                  working(1);
                  working(-1);
                  try {
                    waiting.countDown();
                    ReconcileShare.await(turn);
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                  working(1);
                  working(-1);
                  return null;
                }));
  }

  @Test
  void aKindsThreadsStartWithWorkAndAreNamedForIt() throws Exception {
    pool = new ReconcileShare("s3-bucket", 5).newPool();

    assertThat(pool.getMaximumPoolSize()).isEqualTo(5);
    assertThat(pool.allowsCoreThreadTimeOut()).isTrue();
    assertThat(pool.getPoolSize()).as("no thread before work").isZero();
    assertThat(pool.submit(() -> Thread.currentThread().getName()).get())
        .isEqualTo("reconcile-s3-bucket-1");
  }

  @Test
  void aReconcileWaitingForItsTurnLendsItsPlace() throws Exception {
    ReconcileShare share = new ReconcileShare("sqs-queue", 1);
    pool = share.newPool();
    CountDownLatch waiting = new CountDownLatch(1);
    Future<?> throttled = reconcile(share, Duration.ofSeconds(3), waiting);
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

    // One place, and it waits: another resource of the kind runs meanwhile, on a thread added.
    long start = System.nanoTime();
    Future<?> elsewhere = reconcile(share, Duration.ZERO, new CountDownLatch(1));
    elsewhere.get(2, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(throttled).as("the first still waits for its turn").isNotDone();
    assertThat(share.lent()).isEqualTo(1);
    assertThat(pool.getPoolSize()).isEqualTo(2);

    throttled.get(5, TimeUnit.SECONDS);
    assertThat(share.lent()).isZero();
    assertThat(pool.getCorePoolSize()).as("back to the kind's share").isEqualTo(1);
    assertThat(mostRunning.get()).as("never two running at once").isEqualTo(1);
  }

  @Test
  void aShortWaitKeepsItsPlace() throws Exception {
    ReconcileShare share = new ReconcileShare("sqs-queue", 1);
    pool = share.newPool();
    CountDownLatch waiting = new CountDownLatch(1);
    Future<?> brief = reconcile(share, ReconcileShare.LEND_FROM.dividedBy(2), waiting);
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(share.lent()).isZero();
    brief.get(5, TimeUnit.SECONDS);
    assertThat(pool.getLargestPoolSize()).isEqualTo(1);
  }

  @Test
  void atMostFourWaitsAPlaceLendAtOnce() throws Exception {
    ReconcileShare share = new ReconcileShare("sqs-queue", 1);
    pool = share.newPool();
    int reconciles = 2 + ReconcileShare.LENDING;
    CountDownLatch waiting = new CountDownLatch(1 + ReconcileShare.LENDING);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < reconciles; i++) {
      all.add(reconcile(share, Duration.ofSeconds(2), waiting));
    }
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

    // The fifth waits in its place; the sixth waits for a place.
    assertThat(share.lent()).isEqualTo(ReconcileShare.LENDING);
    assertThat(pool.getPoolSize()).isEqualTo(1 + ReconcileShare.LENDING);
    // A reconcile that would wait long now is better put back until its turn.
    assertThat(share.mayWait(Duration.ofSeconds(1))).isFalse();
    assertThat(share.mayWait(ReconcileShare.LEND_FROM.dividedBy(2))).isTrue();
    for (Future<?> reconcile : all) {
      reconcile.get(15, TimeUnit.SECONDS);
    }
    assertThat(share.lent()).isZero();
    assertThat(pool.getCorePoolSize()).isEqualTo(1);
    assertThat(mostRunning.get()).isEqualTo(1);
    assertThat(share.mayWait(Duration.ofSeconds(1))).isTrue();
  }
}

package dev.jack.runtime;

import java.time.Duration;

/**
 * A token bucket whose rate adapts to AWS: halved when AWS throttles, restored a little with every
 * call that succeeds, never below a floor. One is shared by every reconcile that calls one service
 * in one account and region.
 */
public final class AdaptiveRateLimiter {

  private final double maxRate;
  private final double minRate;
  private final double burst;
  private double rate;
  private double tokens;
  private long lastRefillNanos;

  public AdaptiveRateLimiter(double maxRatePerSecond, double burst) {
    this.maxRate = maxRatePerSecond;
    this.minRate = Math.max(0.1, maxRatePerSecond / 64);
    this.burst = burst;
    this.rate = maxRatePerSecond;
    this.tokens = burst;
    this.lastRefillNanos = System.nanoTime();
  }

  /** Waits until a call may be made. */
  public void acquire() {
    Duration wait;
    synchronized (this) {
      refill();
      tokens -= 1;
      wait = tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / rate * 1e9));
    }
    if (!wait.isZero()) {
      try {
        Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the AWS rate limiter", e);
      }
    }
  }

  /** AWS throttled a call: halve the rate. */
  public synchronized void throttled() {
    refill();
    rate = Math.max(minRate, rate / 2);
  }

  /** A call went through: recover the rate additively. */
  public synchronized void succeeded() {
    rate = Math.min(maxRate, rate + maxRate / 50);
  }

  public synchronized double currentRate() {
    return rate;
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastRefillNanos) / 1e9 * rate);
    lastRefillNanos = now;
  }
}

package dev.jack.runtime;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Throttling that costs nothing until AWS throttles. One is shared by every reconcile that calls
 * one service in one account and region. Calls go as fast as the reconciles make them until AWS
 * answers one with a throttling error; then a token bucket takes over at half the rate the calls
 * were going at, halves again at each further throttle (never below {@link #MIN_RATE}), grows back
 * steadily with time ({@link #RECOVERY}: the rate doubles in ten seconds without a throttle), and
 * gives way to no limit once AWS has not throttled for {@link #QUIET}.
 */
public final class AdaptiveRateLimiter {

  /** Calls a second below which a throttled service is never held. */
  static final double MIN_RATE = 0.5;

  /** How fast a throttled rate grows back: this share of itself each second. */
  static final double RECOVERY = 0.1;

  /** A service AWS has not throttled for this long is called without a limit again. */
  public static final Duration QUIET = Duration.ofSeconds(60);

  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier clock;

  // The rate the calls go at, measured over whole seconds.
  private long windowStart;
  private int windowCalls;
  private double measured;

  // While limited: the rate set at the last throttle, and the bucket.
  private boolean limited;
  private double throttledRate;
  private long lastThrottle;
  private double tokens;
  private long lastRefill;

  public AdaptiveRateLimiter() {
    this(System::nanoTime);
  }

  AdaptiveRateLimiter(LongSupplier clock) {
    this.clock = clock;
    this.windowStart = clock.getAsLong();
  }

  /**
   * Waits until a call may be made (at once, unless AWS has throttled this service lately). A
   * reconcile that waits lends its kind's place meanwhile ({@link ReconcileShare}).
   */
  public void acquire() {
    Duration wait = reserve();
    if (!wait.isZero()) {
      try {
        ReconcileShare.await(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the AWS rate limiter", e);
      }
    }
  }

  /** Takes a call's turn; answers how long the call must wait for it. */
  synchronized Duration reserve() {
    long now = clock.getAsLong();
    count(now);
    if (!limitedAt(now)) {
      limited = false;
      return Duration.ZERO;
    }
    double rate = rate(now);
    tokens = tokensAt(now, rate) - 1;
    lastRefill = now;
    return waitFor(tokens, rate);
  }

  /**
   * How long a call made now would wait for its turn, without taking it: zero unless AWS has
   * throttled this service lately and the calls before it took the turns there are.
   */
  public synchronized Duration nextTurn() {
    long now = clock.getAsLong();
    if (!limitedAt(now)) {
      return Duration.ZERO;
    }
    double rate = rate(now);
    return waitFor(tokensAt(now, rate) - 1, rate);
  }

  /** Whether AWS has throttled the service lately. */
  private boolean limitedAt(long now) {
    return limited && now - lastThrottle < QUIET.toNanos();
  }

  /** The turns in the bucket now, refilled at {@code rate} since the last call took one. */
  private double tokensAt(long now, double rate) {
    return Math.min(Math.max(1, rate), tokens + (now - lastRefill) / (double) SECOND * rate);
  }

  /** How long a call waits when the bucket holds {@code tokens} once it took its turn. */
  private static Duration waitFor(double tokens, double rate) {
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / rate * SECOND));
  }

  /** AWS throttled a call: limit the service to half the rate it was being called at. */
  public synchronized void throttled() {
    long now = clock.getAsLong();
    double base = limited ? rate(now) : Math.max(measured, currentWindowRate(now));
    throttledRate = Math.max(MIN_RATE, base / 2);
    if (!limited) {
      tokens = 0;
      lastRefill = now;
    }
    limited = true;
    lastThrottle = now;
  }

  /** The calls a second now allowed, or infinity while AWS has not throttled lately. */
  public synchronized double currentRate() {
    long now = clock.getAsLong();
    return limitedAt(now) ? rate(now) : Double.POSITIVE_INFINITY;
  }

  private double rate(long now) {
    double seconds = (now - lastThrottle) / (double) SECOND;
    return throttledRate * (1 + RECOVERY * seconds);
  }

  private void count(long now) {
    if (now - windowStart >= SECOND) {
      measured = windowCalls / ((now - windowStart) / (double) SECOND);
      windowStart = now;
      windowCalls = 0;
    }
    windowCalls++;
  }

  private double currentWindowRate(long now) {
    double seconds = Math.max(0.001, (now - windowStart) / (double) SECOND);
    return seconds < 1 ? windowCalls : windowCalls / seconds;
  }
}

package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(now::get);

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  /** Makes {@code calls} calls evenly over one second, each at its turn. */
  private void callsInOneSecond(int calls) {
    for (int i = 0; i < calls; i++) {
      limiter.reserve();
      advance(Duration.ofNanos(1_000_000_000L / calls));
    }
  }

  @Test
  void untilAwsThrottlesNoCallWaits() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.reserve()).isZero();
    }
    assertThat(limiter.currentRate()).isInfinite();
  }

  @Test
  void aThrottleLimitsToHalfTheRateTheCallsWentAt() {
    callsInOneSecond(40);
    callsInOneSecond(40);
    limiter.throttled();
    assertThat(limiter.currentRate()).isEqualTo(20, offset(0.5));
    // The bucket starts empty: the calls that follow are spaced at the limited rate.
    Duration first = limiter.reserve();
    Duration second = limiter.reserve();
    assertThat(first.toMillis()).isBetween(45L, 55L);
    assertThat(second.toMillis()).isBetween(95L, 105L);
  }

  @Test
  void theNextTurnIsToldWithoutBeingTaken() {
    assertThat(limiter.nextTurn()).as("not throttled: now").isZero();
    callsInOneSecond(40);
    callsInOneSecond(40);
    limiter.throttled();

    // 20 calls a second from an empty bucket: the next turn is 50 ms away, however often asked.
    assertThat(limiter.nextTurn().toMillis()).isBetween(45L, 55L);
    assertThat(limiter.nextTurn().toMillis()).isBetween(45L, 55L);
    // A call that takes it: the turn after is 50 ms further.
    assertThat(limiter.reserve().toMillis()).isBetween(45L, 55L);
    assertThat(limiter.nextTurn().toMillis()).isBetween(95L, 105L);
    advance(Duration.ofMillis(200));
    assertThat(limiter.nextTurn()).as("a turn is free").isZero();
  }

  @Test
  void eachFurtherThrottleHalvesAgainButNeverBelowTheFloor() {
    callsInOneSecond(40);
    callsInOneSecond(40);
    limiter.throttled();
    limiter.throttled();
    assertThat(limiter.currentRate()).isEqualTo(10, offset(0.5));
    for (int i = 0; i < 20; i++) {
      limiter.throttled();
    }
    assertThat(limiter.currentRate()).isEqualTo(AdaptiveRateLimiter.MIN_RATE);
  }

  @Test
  void theRateGrowsBackWithTimeAndTheLimitEndsWhenAwsIsQuiet() {
    callsInOneSecond(40);
    callsInOneSecond(40);
    limiter.throttled();
    double limited = limiter.currentRate();
    advance(Duration.ofSeconds(10));
    assertThat(limiter.currentRate()).as("doubled in 10 s").isEqualTo(2 * limited, offset(0.5));
    advance(AdaptiveRateLimiter.QUIET);
    assertThat(limiter.currentRate()).isInfinite();
    assertThat(limiter.reserve()).isZero();
  }
}

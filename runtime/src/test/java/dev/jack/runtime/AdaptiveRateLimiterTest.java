package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {

  @Test
  void throttlingHalvesTheRateAndSuccessRestoresItSlowly() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(10, 5);
    limiter.throttled();
    assertThat(limiter.currentRate()).isEqualTo(5.0);
    limiter.throttled();
    assertThat(limiter.currentRate()).isEqualTo(2.5);
    for (int i = 0; i < 10; i++) {
      limiter.succeeded();
    }
    assertThat(limiter.currentRate()).isEqualTo(4.5, org.assertj.core.data.Offset.offset(1e-9));
    for (int i = 0; i < 1000; i++) {
      limiter.succeeded();
    }
    assertThat(limiter.currentRate()).isEqualTo(10.0);
  }

  @Test
  void theRateNeverFallsBelowItsFloor() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(10, 5);
    for (int i = 0; i < 100; i++) {
      limiter.throttled();
    }
    assertThat(limiter.currentRate()).isGreaterThan(0.1);
  }

  @Test
  void theBurstPassesAtOnce() {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1, 3);
    long start = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      limiter.acquire();
    }
    assertThat((System.nanoTime() - start) / 1e6).isLessThan(500);
  }
}

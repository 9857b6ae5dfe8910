package dev.jack.bench;

import java.time.Duration;
import java.time.Instant;

/** Sleeps, turning an interrupt (Ctrl-C ends the run) into an exception that ends the scenario. */
final class Pause {

  private Pause() {}

  static void until(Instant instant) {
    Duration left = Duration.between(Instant.now(), instant);
    if (!left.isNegative()) {
      of(left);
    }
  }

  static void of(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

package dev.jack.bench;

import java.time.Duration;

/** Sleeps, turning an interrupt (Ctrl-C ends the run) into an exception that ends the scenario. */
final class Pause {

  private Pause() {}

  /** Sleeps for {@code duration}; not at all when it is not positive. */
  static void of(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

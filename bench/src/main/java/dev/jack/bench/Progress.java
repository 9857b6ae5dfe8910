package dev.jack.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** What the run is doing, on stderr, so that the figures on stdout stay a clean report. */
final class Progress {

  private Progress() {}

  static void say(String format, Object... args) {
    System.err.println(
        "bench "
            + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
            + "  "
            + String.format(java.util.Locale.ROOT, format, args));
  }
}

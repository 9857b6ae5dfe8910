package dev.jack.bench;

import java.time.Duration;

/**
 * jack with every service in one process: its memory 30 s after start with no resource, and once it
 * holds {@code perKind} Buckets and Queues, synced. ACK ships one controller per service, each a
 * process of its own; those figures come from its side-by-side run. Its start is measured twice:
 * first against an API server that has not served most of the 117 kinds' CRDs yet (as after they
 * are installed), then restarted (as a pod is), when the API server has.
 */
final class FootprintRun {

  record Result(
      String controller,
      String title,
      double readySeconds,
      double restartReadySeconds,
      double idleRssMiB,
      int resources,
      double rssWithResourcesMiB,
      double peakRssMiB) {}

  private FootprintRun() {}

  static Result run(StageFactory stages, Launcher launcher, int perKind, Duration idle) {
    try (Stage stage = stages.open(launcher, "footprint")) {
      double ready = stage.startController().toMillis() / 1000.0;
      Pause.of(idle.minus(stage.controller().uptime()));
      double idleRss = stage.controller().usage().rssMiB();
      double restartReady = stage.restartController().toMillis() / 1000.0;
      BurstScenario.Result burst = BurstScenario.run(stage, "f", perKind);
      double withResources = stage.controller().usage().rssMiB();
      Progress.say(
          "%s: %.0f MiB idle, %.0f MiB with %d resources",
          launcher.title(), idleRss, withResources, perKind * stage.kinds().size());
      return new Result(
          launcher.id(),
          launcher.title(),
          ready,
          restartReady,
          idleRss,
          perKind * stage.kinds().size(),
          withResources,
          burst.kernelPeakRssMiB());
    }
  }
}

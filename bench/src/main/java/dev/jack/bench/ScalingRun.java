package dev.jack.bench;

/**
 * How the burst grows with N: each size on a fresh controller and a fresh endpoint, so that the CPU
 * time and the peak memory are those of that burst alone.
 */
final class ScalingRun {

  /** One burst size of one controller. */
  record Point(
      String controller,
      int perKind,
      int resources,
      double allSyncedSeconds,
      long calls,
      double callsPerResource,
      double cpuSeconds,
      double peakRssMiB) {

    static Point of(String controller, BurstScenario.Result burst) {
      int resources = burst.perKind() * burst.kinds().size();
      return new Point(
          controller,
          burst.perKind(),
          resources,
          burst.allSyncedSeconds(),
          burst.calls(),
          burst.calls() / (double) resources,
          burst.cpuSeconds(),
          burst.peakRssMiB());
    }
  }

  private ScalingRun() {}

  static Point run(StageFactory stages, Launcher launcher, int perKind) {
    try (Stage stage = stages.open(launcher, "n" + perKind)) {
      stage.startController();
      BurstScenario.Result burst = BurstScenario.run(stage, "n", perKind);
      Progress.say(
          "%s: scaling burst of %d per kind synced in %.1f s",
          launcher.title(), perKind, burst.allSyncedSeconds());
      return Point.of(launcher.id(), burst);
    }
  }
}

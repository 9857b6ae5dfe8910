package dev.jack.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One controller alone against the shared API server and a fresh endpoint of its own, through the
 * scenarios of the side-by-side in order: idle (30 s after its start), burst, steady state (the
 * burst's resources, topped up to M), churn. Each scenario starts from where the previous one left
 * the resources, converged.
 */
final class SideBySideRun {

  /** What one controller measured in the side-by-side. */
  record Result(
      String controller,
      String title,
      double readySeconds,
      double idleRssMiB,
      BurstScenario.Result burst,
      SteadyStateScenario.Result firstCheck,
      SteadyStateScenario.Result steady,
      SteadyStateScenario.Result restartCheck,
      double rssWithResourcesMiB,
      ChurnScenario.Result churn) {

    /**
     * The pass of every resource by a restarted process: jack's restart check, or ACK's steady
     * state, which is one; jack's forced check when it was not restarted.
     */
    SteadyStateScenario.Result restartPass() {
      return restartCheck != null ? restartCheck : steady;
    }
  }

  private SideBySideRun() {}

  static Result run(
      StageFactory stages, Launcher launcher, Sizes sizes, Duration idle, String refreshValue) {
    try (Stage stage = stages.open(launcher, "side-by-side")) {
      double ready = stage.startController().toMillis() / 1000.0;
      Pause.of(idle.minus(stage.controller().uptime()));
      double idleRss = stage.controller().usage().rssMiB();
      Progress.say("%s: ready in %.1f s, %.0f MiB idle", launcher.title(), ready, idleRss);

      BurstScenario.Result burst = BurstScenario.run(stage, "b", sizes.burst());
      Progress.say(
          "%s: burst of %d per kind synced in %.1f s",
          launcher.title(), sizes.burst(), burst.allSyncedSeconds());

      List<ResourceRef> steadyRefs = new ArrayList<>();
      int perKind = Math.max(sizes.burst(), (sizes.steady() + 1) / 2);
      for (Kind kind : stage.kinds()) {
        steadyRefs.addAll(Fleet.named(kind, "b", sizes.burst()));
        List<ResourceRef> extra = Fleet.named(kind, "m", perKind - sizes.burst());
        if (!extra.isEmpty()) {
          stage.fleet().create(extra);
          steadyRefs.addAll(extra);
        }
      }
      stage.await(
          "all " + steadyRefs.size() + " resources of the steady state synced",
          () -> steadyRefs.stream().allMatch(r -> stage.watch().syncedAt(r) != null),
          () -> BurstScenario.syncedSoFar(stage, steadyRefs));
      // The first drift check after the creates is reported apart: a record the create left
      // unwritten (as the ownership of late-initialized fields once was) would be written
      // there, once. ACK's restart pass is the same every time (it keeps no state), so it runs
      // once.
      SteadyStateScenario.Result firstCheck = null;
      SteadyStateScenario.Result restartCheck = null;
      SteadyStateScenario.Result steady;
      if (launcher.refreshesOnAnnotation()) {
        firstCheck =
            SteadyStateScenario.run(
                stage, steadyRefs, refreshValue + "-first", SteadyStateScenario.Forcing.ANNOTATION);
        steady =
            SteadyStateScenario.run(
                stage, steadyRefs, refreshValue, SteadyStateScenario.Forcing.ANNOTATION);
        // The same check as ACK's, with no annotation: what a periodic resync writes.
        restartCheck =
            SteadyStateScenario.run(
                stage, steadyRefs, refreshValue, SteadyStateScenario.Forcing.RESTART);
      } else {
        steady =
            SteadyStateScenario.run(
                stage, steadyRefs, refreshValue, SteadyStateScenario.Forcing.RESTART);
      }
      double withResources = stage.controller().usage().rssMiB();
      Progress.say(
          "%s: steady state of %d resources checked in %.1f s",
          launcher.title(), steadyRefs.size(), steady.seconds());

      ChurnScenario.Result churn =
          ChurnScenario.run(stage, ChurnScenario.Plan.of(steadyRefs, stage.kinds()));
      Progress.say("%s: churn converged in %.1f s", launcher.title(), churn.convergeSeconds());
      return new Result(
          launcher.id(),
          launcher.title(),
          ready,
          idleRss,
          burst,
          firstCheck,
          steady,
          restartCheck,
          withResources,
          churn);
    }
  }
}

package dev.jack.bench;

import java.util.List;

/** Everything one run measured, as {@code bench/target/bench-results.json} holds it. */
record Results(
    Machine machine,
    Settings settings,
    List<MotoRate.Measurement> moto,
    List<SideBySideRun.Result> sideBySide,
    List<ScalingRun.Point> scaling,
    List<FootprintRun.Result> footprint,
    List<String> failures,
    double seconds) {

  /** The machine as the run saw it; the load averages tell how idle it was. */
  record Machine(
      int cores,
      long memoryMiB,
      String java,
      String loadBefore,
      String loadAfter,
      String moto,
      String ackS3Controller) {}

  /** How the run was configured. */
  record Settings(
      Sizes sizes,
      int ackResyncSeconds,
      String jackJavaOpts,
      List<String> jackArgs,
      List<String> ackArgs,
      String crds,
      int idleSeconds) {}

  SideBySideRun.Result sideBySide(String controller) {
    return sideBySide.stream()
        .filter(r -> r.controller().equals(controller))
        .findFirst()
        .orElse(null);
  }
}

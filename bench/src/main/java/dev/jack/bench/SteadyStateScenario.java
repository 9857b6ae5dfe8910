package dev.jack.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * M converged resources and one forced drift check of each: the AWS calls per resource (reads and
 * writes apart) and the controller's writes to the API server (status and metadata apart). jack is
 * asked through its {@code jack.dev/refresh} annotation, and the check is done when each resource's
 * {@code jack.dev/Refreshed} condition carries the value; ACK has no such thing, so it is restarted
 * (with the same flags), which reconciles every resource once, and the check is done when every
 * resource has been read and the calls have stopped. Before reporting, the scenario fails unless
 * every resource was read in the window.
 */
final class SteadyStateScenario {

  record Result(
      String forcedBy,
      int resources,
      double seconds,
      Map<String, CallCensus.KindCalls> kinds,
      Map<String, SyncWatch.Writes> apiServerWrites,
      long statusWrites,
      long metadataWrites,
      double cpuSeconds,
      long calls,
      Map<String, Long> callsByOperation,
      Map<String, Long> metadataChanges,
      Map<String, String> metadataChangeExamples,
      Double firstReconcileSeconds) {}

  private SteadyStateScenario() {}

  /** How the drift check of every resource is forced. */
  enum Forcing {
    /** jack's {@code jack.dev/refresh} annotation. */
    ANNOTATION,
    /** A restart: the new process reconciles every resource once. */
    RESTART
  }

  static Result run(Stage stage, List<ResourceRef> refs, String refreshValue, Forcing forcing) {
    stage.awaitQuiet(Duration.ofSeconds(3));
    int mark = stage.aws().mark();
    Map<String, Long> changesBefore = stage.watch().metadataChanges();
    Map<Kind, SyncWatch.Writes> before = new LinkedHashMap<>();
    stage.kinds().forEach(kind -> before.put(kind, stage.watch().writes(kind)));
    long origin = System.nanoTime();
    double cpuBefore;
    String forcedBy;
    if (forcing == Forcing.ANNOTATION) {
      forcedBy = "annotation " + SyncWatch.REFRESH_ANNOTATION + "=" + refreshValue;
      cpuBefore = stage.controller().usage().cpuSeconds();
      stage.fleet().annotate(refs, SyncWatch.REFRESH_ANNOTATION, refreshValue);
      stage.await(
          "the drift check of all " + refs.size() + " resources",
          () -> refs.stream().allMatch(r -> refreshValue.equals(stage.watch().refreshed(r))),
          () ->
              refs.stream().filter(r -> refreshValue.equals(stage.watch().refreshed(r))).count()
                  + " of "
                  + refs.size()
                  + " refreshed");
    } else {
      forcedBy = "restart (the new process reconciles every resource once)";
      stage.restartController();
      // The new process's CPU time counts from its start, which is part of the forced resync.
      cpuBefore = 0;
      stage.await(
          "a read of all " + refs.size() + " resources after the restart",
          () -> {
            CallCensus census = census(stage, mark, refs);
            return refs.stream().allMatch(r -> census.read(r.name()));
          },
          () -> stage.aws().mark() - mark + " calls since the restart");
    }
    double seconds = (System.nanoTime() - origin) / 1e9;
    // A restarted controller's first reconcile: from its process's start to its first call of the
    // kinds' own services (not the identity lookup of STS, which ACK makes before it is ready).
    Double firstReconcile = null;
    if (forcing == Forcing.RESTART) {
      List<String> services = stage.kinds().stream().map(Kind::service).toList();
      OptionalLong first =
          stage.aws().arrivalOfFirstSince(mark, call -> services.contains(call.service()));
      if (first.isPresent()) {
        firstReconcile = stage.controller().uptimeAt(first.getAsLong()).toNanos() / 1e9;
      }
    }
    stage.awaitQuiet(Duration.ofSeconds(3));
    double cpu = stage.controller().usage().cpuSeconds() - cpuBefore;
    CallCensus census = census(stage, mark, refs);
    List<String> unread =
        refs.stream().map(ResourceRef::name).filter(n -> !census.read(n)).toList();
    if (!unread.isEmpty()) {
      throw new IllegalStateException(
          stage.launcher().title()
              + ": the forced drift check did not read "
              + unread.size()
              + " resources (e.g. "
              + unread.get(0)
              + "): no figure of it would be true");
    }
    Map<String, SyncWatch.Writes> writes = new LinkedHashMap<>();
    before.forEach(
        (kind, then) -> writes.put(kind.kindName(), stage.watch().writes(kind).minus(then)));
    return new Result(
        forcedBy,
        refs.size(),
        seconds,
        census.kinds(),
        writes,
        writes.values().stream().mapToLong(SyncWatch.Writes::status).sum(),
        writes.values().stream().mapToLong(SyncWatch.Writes::metadata).sum(),
        cpu,
        stage.aws().callsSince(mark).size(),
        stage.aws().operationsSince(mark),
        since(stage.watch().metadataChanges(), changesBefore),
        stage.watch().metadataChangeExamples(),
        firstReconcile);
  }

  private static Map<String, Long> since(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> changes = new java.util.TreeMap<>();
    now.forEach(
        (change, count) -> {
          long delta = count - before.getOrDefault(change, 0L);
          if (delta > 0) {
            changes.put(change, delta);
          }
        });
    return changes;
  }

  static CallCensus census(Stage stage, int mark, List<ResourceRef> refs) {
    Map<Kind, Integer> counts = new LinkedHashMap<>();
    refs.forEach(ref -> counts.merge(ref.kind(), 1, Integer::sum));
    return CallCensus.of(stage.aws().callsSince(mark), counts);
  }
}

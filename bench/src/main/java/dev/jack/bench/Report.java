package dev.jack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The run's tables: jack, ACK and jack / ACK for each figure of the side-by-side, then the runs of
 * jack alone, then the targets with where jack stands. A figure that was not measured
 * prints as a dash.
 */
final class Report {

  private static final List<String> COMPARISON = List.of("figure", "jack", "ACK", "jack / ACK");

  private final Results results;
  private final SideBySideRun.Result jack;
  private final SideBySideRun.Result ack;

  Report(Results results) {
    this.results = results;
    this.jack = results.sideBySide("jack");
    this.ack = results.sideBySide("ack");
  }

  List<Table> tables() {
    List<Table> tables = new ArrayList<>();
    tables.add(moto());
    if (jack != null || ack != null) {
      tables.add(burst());
      tables.add(burstOperations());
      tables.add(steady());
      tables.add(churn());
      tables.add(idle());
    }
    if (!results.scaling().isEmpty()) {
      tables.add(scaling());
    }
    if (!results.footprint().isEmpty()) {
      tables.add(footprint());
    }
    tables.add(targets());
    return tables;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    Results.Machine m = results.machine();
    out.append(
        String.format(
            "Machine: %d cores, %d MiB, %s, moto %s, %s; load average before %s, after %s;"
                + " run took %.0f s%n%n",
            m.cores(),
            m.memoryMiB(),
            m.java(),
            m.moto(),
            m.ackS3Controller(),
            m.loadBefore(),
            m.loadAfter(),
            results.seconds()));
    tables().forEach(t -> out.append(t.render()).append('\n'));
    if (!results.failures().isEmpty()) {
      out.append("### Failures\n\n");
      results
          .failures()
          .forEach(f -> out.append("- ").append(f.lines().findFirst().orElse(f)).append('\n'));
    }
    return out.toString();
  }

  private Table moto() {
    Table table =
        new Table(
            "moto alone (the SDK in a loop, no controller)",
            List.of("operation", "threads", "through", "calls", "calls/s"));
    for (MotoRate.Measurement m : results.moto()) {
      table.row(
          m.operation(),
          Integer.toString(m.threads()),
          m.through(),
          Long.toString(m.calls()),
          Figure.format(m.callsPerSecond()));
    }
    return table;
  }

  private Table burst() {
    int n = results.settings().sizes().burst();
    Table table =
        new Table(
            "burst: "
                + n
                + " Buckets + "
                + n
                + " Queues applied at once (ACK: "
                + n
                + " Buckets; its sqs-controller could not be built)",
            COMPARISON);
    for (Kind kind : Kind.values()) {
      String k = kind.kindName();
      addKind(table, k + "s: all synced", "s", kind, BurstScenario.KindBurst::allSyncedSeconds);
      addKind(table, k + "s: p50 apply to synced", "s", kind, b -> b.latencySeconds().p50());
      addKind(table, k + "s: p95 apply to synced", "s", kind, b -> b.latencySeconds().p95());
      addKind(table, k + "s: max apply to synced", "s", kind, b -> b.latencySeconds().max());
      addKind(
          table,
          kind.service().toUpperCase() + " calls per " + k,
          "",
          kind,
          BurstScenario.KindBurst::callsPerResource);
      addKind(
          table,
          "writes to the API server per " + k + " (status + metadata + spec)",
          "",
          kind,
          b -> {
            SyncWatch.Writes w = b.apiServerWrites();
            return (w.status() + w.metadata() + w.spec()) / (double) b.resources();
          });
    }
    add(table, "all calls", "", r -> (double) r.burst().calls());
    add(table, "CPU, apply to all synced", "s", r -> r.burst().cpuSeconds());
    add(
        table,
        "CPU per synced resource",
        "ms",
        r -> 1000 * r.burst().cpuSeconds() / (r.burst().perKind() * r.burst().kinds().size()));
    add(table, "moto's CPU in that time", "s", r -> r.burst().motoCpuSeconds());
    add(table, "the API server's CPU (with etcd)", "s", r -> r.burst().apiServerCpuSeconds());
    add(table, "peak RSS, sampled every 0.5 s", "MiB", r -> r.burst().peakRssMiB());
    add(table, "peak RSS since start (VmHWM)", "MiB", r -> r.burst().kernelPeakRssMiB());
    return table;
  }

  private Table burstOperations() {
    Table table = new Table("burst: calls by operation", COMPARISON);
    TreeSet<String> operations = new TreeSet<>();
    for (SideBySideRun.Result r : sides()) {
      operations.addAll(r.burst().callsByOperation().keySet());
    }
    for (String op : operations) {
      add(table, op, "", r -> (double) r.burst().callsByOperation().getOrDefault(op, 0L));
    }
    return table;
  }

  private Table steady() {
    String forced =
        "jack: "
            + (jack == null ? "—" : jack.steady().forcedBy())
            + "; ACK: "
            + (ack == null ? "—" : ack.steady().forcedBy());
    Table table =
        new Table(
            "steady state: one forced drift check of every converged resource (" + forced + ")",
            COMPARISON);
    add(table, "converged resources", "", r -> (double) r.steady().resources());
    for (Kind kind : Kind.values()) {
      String k = kind.kindName();
      String service = kind.service().toUpperCase();
      add(table, service + " reads per " + k, "", r -> calls(r.steady().kinds(), k, true));
      add(table, service + " writes per " + k, "", r -> calls(r.steady().kinds(), k, false));
    }
    for (Kind kind : Kind.values()) {
      String k = kind.kindName();
      add(table, "status writes per " + k, "", r -> writes(r, kind, true));
      add(table, "metadata writes per " + k, "", r -> writes(r, kind, false));
    }
    add(table, "time until every resource was checked", "s", r -> r.steady().seconds());
    for (Kind kind : Kind.values()) {
      add(
          table,
          "the first check after the burst: API server writes per " + kind.kindName(),
          "",
          r -> {
            if (r.firstCheck() == null) {
              return null;
            }
            SyncWatch.Writes w = r.firstCheck().apiServerWrites().get(kind.kindName());
            CallCensus.KindCalls c = r.firstCheck().kinds().get(kind.kindName());
            return w == null || c == null
                ? null
                : (w.status() + w.metadata()) / (double) c.resources();
          });
    }
    if (jack != null && jack.restartCheck() != null) {
      SteadyStateScenario.Result restart = jack.restartCheck();
      for (Kind kind : Kind.values()) {
        String k = kind.kindName();
        CallCensus.KindCalls c = restart.kinds().get(k);
        SyncWatch.Writes w = restart.apiServerWrites().get(k);
        if (c == null || w == null) {
          continue;
        }
        SideBySideRun.Result ackSide = ack;
        SyncWatch.Writes ackWrites =
            ackSide == null ? null : ackSide.steady().apiServerWrites().get(k);
        CallCensus.KindCalls ackCalls = ackSide == null ? null : ackSide.steady().kinds().get(k);
        table.row(
            new Figure(
                    "jack restarted as ACK is: reads per " + k,
                    c.readsPerResource(),
                    ackCalls == null ? null : ackCalls.readsPerResource(),
                    "")
                .cells());
        table.row(
            new Figure(
                    "jack restarted as ACK is: AWS writes per " + k,
                    c.writesPerResource(),
                    ackCalls == null ? null : ackCalls.writesPerResource(),
                    "")
                .cells());
        table.row(
            new Figure(
                    "jack restarted as ACK is: status writes per " + k,
                    w.status() / (double) c.resources(),
                    ackWrites == null || ackCalls == null
                        ? null
                        : ackWrites.status() / (double) ackCalls.resources(),
                    "")
                .cells());
      }
    }
    for (SideBySideRun.Result r : sides()) {
      r.steady()
          .metadataChanges()
          .forEach(
              (change, count) ->
                  add(
                      table,
                      r.title() + "'s metadata writes: " + change,
                      "",
                      s -> s == r ? (double) count : null));
    }
    add(table, "CPU", "s", r -> r.steady().cpuSeconds());
    return table;
  }

  private Table churn() {
    Table table =
        new Table("churn: a tenth of the resources changed and another tenth deleted", COMPARISON);
    add(table, "changed", "", r -> (double) r.churn().updated());
    add(table, "deleted", "", r -> (double) r.churn().deleted());
    add(
        table,
        "time until AWS has every change and every delete",
        "s",
        r -> r.churn().convergeSeconds());
    add(
        table,
        "calls per changed or deleted resource",
        "",
        r -> r.churn().calls() / (double) (r.churn().updated() + r.churn().deleted()));
    add(table, "CPU", "s", r -> r.churn().cpuSeconds());
    return table;
  }

  private Table idle() {
    Table table = new Table("idle: the side-by-side's processes", COMPARISON);
    add(table, "start to ready", "s", SideBySideRun.Result::readySeconds);
    add(
        table,
        "start to the first reconcile's call, restarted with the steady state's resources",
        "s",
        Report::firstReconcileSeconds);
    add(
        table,
        "RSS " + results.settings().idleSeconds() + " s after start, no resources",
        "MiB",
        SideBySideRun.Result::idleRssMiB);
    add(
        table,
        "RSS with the steady state's resources",
        "MiB",
        SideBySideRun.Result::rssWithResourcesMiB);
    return table;
  }

  private Table scaling() {
    Table table =
        new Table(
            "scaling: one burst per size, each on a fresh controller and endpoint",
            List.of(
                "controller",
                "per kind",
                "resources",
                "all synced (s)",
                "calls",
                "calls per resource",
                "CPU (s)",
                "peak RSS (MiB)"));
    for (ScalingRun.Point p : results.scaling()) {
      table.row(
          p.controller(),
          Integer.toString(p.perKind()),
          Integer.toString(p.resources()),
          Figure.format(p.allSyncedSeconds()),
          Long.toString(p.calls()),
          Figure.format(p.callsPerResource()),
          Figure.format(p.cpuSeconds()),
          Figure.format(p.peakRssMiB()));
    }
    return table;
  }

  private Table footprint() {
    Table table =
        new Table(
            "footprint: jack with all 17 services in one process; ACK ships one process per service"
                + " (only its s3-controller builds here, so ACK's column is that one process)",
            COMPARISON);
    for (FootprintRun.Result f : results.footprint()) {
      Double ackIdle = ack == null ? null : ack.idleRssMiB();
      table.row(
          new Figure(
                  "RSS " + results.settings().idleSeconds() + " s after start, no resources",
                  f.idleRssMiB(),
                  ackIdle,
                  "MiB")
              .cells());
      table.row(
          new Figure(
                  "RSS with resources (jack: "
                      + f.resources()
                      + " Buckets and Queues; ACK: its steady state's Buckets)",
                  f.rssWithResourcesMiB(),
                  ack == null ? null : ack.rssWithResourcesMiB(),
                  "MiB")
              .cells());
      table.row(
          new Figure(
                  "start to ready (the API server serves most CRDs for the first time)",
                  f.readySeconds(),
                  ack == null ? null : ack.readySeconds(),
                  "s")
              .cells());
      table.row(
          new Figure(
                  "start to ready, restarted (the API server has served every CRD)",
                  f.restartReadySeconds(),
                  ack == null ? null : ack.readySeconds(),
                  "s")
              .cells());
      table.row(new Figure("processes for 17 services", 1.0, 17.0, "").cells());
    }
    return table;
  }

  private Table targets() {
    Table table = new Table("the issue's targets", List.of("target", "measured", "met"));
    if (jack != null && ack != null) {
      double jackBuckets = kind(jack, Kind.BUCKET).allSyncedSeconds();
      double ackBuckets = kind(ack, Kind.BUCKET).allSyncedSeconds();
      double speedup = ackBuckets / jackBuckets;
      table.row(
          "burst all Synced at least 5× sooner than ACK",
          String.format(
              "Buckets %s s vs %s s: %s× sooner",
              Figure.format(jackBuckets), Figure.format(ackBuckets), Figure.format(speedup)),
          speedup >= 5 ? "yes" : "no");
      int jackResources = jack.burst().perKind() * jack.burst().kinds().size();
      int ackResources = ack.burst().perKind() * ack.burst().kinds().size();
      double jackPerResource = jack.burst().cpuSeconds() / jackResources;
      double ackPerResource = ack.burst().cpuSeconds() / ackResources;
      table.row(
          "CPU seconds per burst at or below ACK's",
          String.format(
              "%s s for %d resources vs %s s for %d: %s vs %s ms per resource",
              Figure.format(jack.burst().cpuSeconds()),
              jackResources,
              Figure.format(ack.burst().cpuSeconds()),
              ackResources,
              Figure.format(1000 * jackPerResource),
              Figure.format(1000 * ackPerResource)),
          jackPerResource <= ackPerResource ? "yes" : "no");
      double ackPeak = ack.burst().kernelPeakRssMiB();
      double jackPeak = jack.burst().kernelPeakRssMiB();
      table.row(
          "peak RSS in the burst below ACK's two controllers' sum",
          String.format(
              "%s MiB vs %s MiB of ACK's s3-controller alone",
              Figure.format(jackPeak), Figure.format(ackPeak)),
          jackPeak < ackPeak
              ? "yes"
              : "not shown: above the s3-controller's alone, and the sqs-controller's share was"
                  + " not measured");
    }
    if (jack != null) {
      // Judged on the pass of jack restarted as ACK is, when there is one: every resource
      // reconciled once by the resync's own code path. The forced check asked with
      // jack.dev/refresh writes one status per resource by design (its condition answers it).
      boolean restarted = jack.restartCheck() != null;
      SteadyStateScenario.Result s = jack.restartPass();
      double reads = calls(s.kinds(), "Bucket", true);
      double writes = calls(s.kinds(), "Bucket", false) + orZero(calls(s.kinds(), "Queue", false));
      table.row(
          "per converged resync: at most 1 + (managed sub-configurations) reads, 0 writes, 0 status"
              + " writes",
          String.format(
              "%s reads per Bucket, %s per Queue; %s writes; %d status and %d metadata writes to the"
                  + " API server (%d resources, %s)",
              Figure.format(reads),
              Figure.format(calls(s.kinds(), "Queue", true)),
              Figure.format(writes),
              s.statusWrites(),
              s.metadataWrites(),
              s.resources(),
              restarted ? "jack restarted as ACK is" : "forced by jack.dev/refresh"),
          writes == 0 && s.statusWrites() == 0 && s.metadataWrites() == 0 ? "yes" : "no");
    }
    if (!results.footprint().isEmpty()) {
      FootprintRun.Result f = results.footprint().get(0);
      Double ackIdle = ack == null ? null : ack.idleRssMiB();
      String met = f.idleRssMiB() < 150 ? "under 150 MiB: yes" : "under 150 MiB: no";
      if (ackIdle != null) {
        met +=
            f.idleRssMiB() < ackIdle
                ? "; below ACK's two: yes"
                : "; below ACK's two: not shown (above the s3-controller's alone)";
      }
      table.row(
          "idle RSS with every service enabled under 150 MiB and below ACK's two controllers",
          String.format(
              "%s MiB, %s, vs %s MiB (ACK's s3-controller alone)",
              Figure.format(f.idleRssMiB()), f.title(), Figure.format(ackIdle)),
          met);
    }
    FootprintRun.Result all = results.footprint().isEmpty() ? null : results.footprint().get(0);
    if (jack != null || all != null) {
      Double two = jack == null ? null : jack.readySeconds();
      Double every = all == null ? null : all.readySeconds();
      Double everyAgain = all == null ? null : all.restartReadySeconds();
      Double first = jack == null ? null : firstReconcileSeconds(jack);
      Double ackFirst = ack == null ? null : firstReconcileSeconds(ack);
      table.row(
          "start-up to first reconcile under 1 s",
          String.format(
              "start to the first reconcile's call, restarted with %s resources: %s s (ACK %s s);"
                  + " start to ready: %s s with %s, %s s with %s (%s s restarted)",
              jack == null ? "its" : Integer.toString(jack.steady().resources()),
              Figure.format(first),
              Figure.format(ackFirst),
              Figure.format(two),
              jack == null ? "s3 and sqs" : jack.title(),
              Figure.format(every),
              all == null ? "every service" : all.title(),
              Figure.format(everyAgain)),
          String.format(
              "first reconcile: %s; ready: %s; %s ready: %s",
              first == null ? "—" : first < 1 ? "yes" : "no",
              two == null ? "—" : two < 1 ? "yes" : "no",
              all == null ? "with every service" : all.title(),
              every == null
                  ? "—"
                  : every < 1 && everyAgain < 1
                      ? "yes"
                      : everyAgain < 1 ? "restarted only" : "no"));
    }
    return table;
  }

  /**
   * From the process's start to its first call of the kinds' services, when it was restarted with
   * the steady state's resources (jack: the pass restarted as ACK is), or null.
   */
  private static Double firstReconcileSeconds(SideBySideRun.Result r) {
    SteadyStateScenario.Result restart = r.restartPass();
    return restart == null ? null : restart.firstReconcileSeconds();
  }

  /** The steady state's writes to the API server per resource of {@code kind}, or null. */
  private static Double writes(SideBySideRun.Result r, Kind kind, boolean status) {
    SyncWatch.Writes writes = r.steady().apiServerWrites().get(kind.kindName());
    CallCensus.KindCalls calls = r.steady().kinds().get(kind.kindName());
    if (writes == null || calls == null) {
      return null;
    }
    return (status ? writes.status() : writes.metadata()) / (double) calls.resources();
  }

  private static double orZero(Double value) {
    return value == null ? 0 : value;
  }

  private static Double calls(Map<String, CallCensus.KindCalls> kinds, String kind, boolean reads) {
    CallCensus.KindCalls calls = kinds.get(kind);
    if (calls == null) {
      return null;
    }
    return reads ? calls.readsPerResource() : calls.writesPerResource();
  }

  private static BurstScenario.KindBurst kind(SideBySideRun.Result result, Kind kind) {
    return result.burst().kinds().get(kind.kindName());
  }

  private List<SideBySideRun.Result> sides() {
    List<SideBySideRun.Result> sides = new ArrayList<>();
    if (jack != null) {
      sides.add(jack);
    }
    if (ack != null) {
      sides.add(ack);
    }
    return sides;
  }

  /** A row of jack's and ACK's value of {@code figure}; a side without it gets a dash. */
  private void add(
      Table table, String name, String unit, Function<SideBySideRun.Result, Double> figure) {
    table.row(new Figure(name, value(jack, figure), value(ack, figure), unit).cells());
  }

  /** A row of a burst figure of one kind; a controller that does not reconcile it gets a dash. */
  private void addKind(
      Table table,
      String name,
      String unit,
      Kind kind,
      Function<BurstScenario.KindBurst, Double> figure) {
    add(
        table,
        name,
        unit,
        r -> {
          BurstScenario.KindBurst burst = kind(r, kind);
          return burst == null ? null : figure.apply(burst);
        });
  }

  private static Double value(
      SideBySideRun.Result result, Function<SideBySideRun.Result, Double> figure) {
    return result == null ? null : figure.apply(result);
  }
}

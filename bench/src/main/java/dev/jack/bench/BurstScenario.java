package dev.jack.bench;

import dev.jack.testenv.AwsProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N resources of each kind the controller reconciles, created at once: how long until every one is
 * synced (from the moment its create was sent until the watch sees {@code
 * ACK.ResourceSynced=True}), the AWS calls by operation until the controller falls quiet, the CPU
 * time of the controller process and its peak resident memory.
 */
final class BurstScenario {

  /** One kind's part of a burst. */
  record KindBurst(
      int resources,
      double allSyncedSeconds,
      Distribution latencySeconds,
      long calls,
      double callsPerResource,
      SyncWatch.Writes apiServerWrites,
      List<Double> syncedAtSeconds) {}

  record Result(
      int perKind,
      Map<String, KindBurst> kinds,
      double applySeconds,
      double allSyncedSeconds,
      double cpuSeconds,
      double motoCpuSeconds,
      double apiServerCpuSeconds,
      double peakRssMiB,
      double kernelPeakRssMiB,
      long calls,
      Map<String, Long> callsByOperation,
      List<Sampler.Sample> samples) {}

  private BurstScenario() {}

  static Result run(Stage stage, String prefix, int perKind) {
    List<ResourceRef> refs = new ArrayList<>();
    for (Kind kind : stage.kinds()) {
      refs.addAll(Fleet.named(kind, prefix, perKind));
    }
    int mark = stage.aws().mark();
    Map<Kind, SyncWatch.Writes> writesBefore = new LinkedHashMap<>();
    stage.kinds().forEach(kind -> writesBefore.put(kind, stage.watch().writes(kind)));
    ProcessUsage before = stage.controller().usage();
    ServerProcesses.Cpu serversBefore = stage.servers();
    long origin = System.nanoTime();
    Map<ResourceRef, Long> sentAt;
    double applySeconds;
    double allSyncedSeconds;
    ProcessUsage synced;
    ServerProcesses.Cpu servers;
    List<Sampler.Sample> samples;
    double sampledPeak;
    try (Sampler sampler =
        Sampler.start(
            stage.controller(),
            stage.aws(),
            stage.watch(),
            stage.kinds(),
            origin,
            Duration.ofMillis(500))) {
      sentAt = stage.fleet().create(refs);
      applySeconds = (System.nanoTime() - origin) / 1e9;
      stage.await(
          "all " + refs.size() + " resources synced",
          () -> refs.stream().allMatch(ref -> stage.watch().syncedAt(ref) != null),
          () -> syncedSoFar(stage, refs));
      allSyncedSeconds = (System.nanoTime() - origin) / 1e9;
      synced = stage.controller().usage();
      servers = stage.servers().minus(serversBefore);
      // The calls of the creates that come after the last Synced belong to the burst.
      stage.awaitQuiet(Duration.ofSeconds(3));
      samples = sampler.samples();
      sampledPeak = sampler.peakRssMiB();
    }
    List<AwsProxy.Call> calls = stage.aws().callsSince(mark);
    Map<String, KindBurst> kinds = new LinkedHashMap<>();
    for (Kind kind : stage.kinds()) {
      List<Double> latencies = new ArrayList<>();
      List<Double> syncedAt = new ArrayList<>();
      for (ResourceRef ref : refs) {
        if (ref.kind() == kind) {
          long at = stage.watch().syncedAt(ref);
          latencies.add((at - sentAt.get(ref)) / 1e9);
          syncedAt.add((at - origin) / 1e9);
        }
      }
      syncedAt.sort(null);
      long kindCalls =
          calls.stream().filter(c -> Operations.service(c).equals(kind.service())).count();
      kinds.put(
          kind.kindName(),
          new KindBurst(
              perKind,
              syncedAt.get(syncedAt.size() - 1),
              Distribution.of(latencies),
              kindCalls,
              kindCalls / (double) perKind,
              stage.watch().writes(kind).minus(writesBefore.get(kind)),
              syncedAt));
    }
    return new Result(
        perKind,
        kinds,
        applySeconds,
        allSyncedSeconds,
        synced.cpuSeconds() - before.cpuSeconds(),
        servers.moto(),
        servers.apiServer(),
        Math.max(sampledPeak, synced.rssMiB()),
        stage.controller().usage().peakRssMiB(),
        calls.size(),
        stage.aws().operationsSince(mark),
        samples);
  }

  static String syncedSoFar(Stage stage, List<ResourceRef> refs) {
    long synced = refs.stream().filter(ref -> stage.watch().syncedAt(ref) != null).count();
    return synced + " of " + refs.size() + " synced, " + stage.aws().mark() + " AWS calls";
  }
}

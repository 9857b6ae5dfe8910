package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.controller.JackController;
import dev.jack.runtime.AdaptiveRateLimiter;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.AwsProxy.Fault;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * jack keeps its promises when things go wrong: each scenario injects faults between jack and AWS
 * (the fault-injecting {@link AwsProxy}) or into jack itself, runs a fleet of Queues, Buckets and
 * APIs through create, change and delete ({@link Fleet}), and asserts both sides: every resource
 * synced, AWS read back from moto with exactly one of each (no duplicate, nothing lost) and nothing
 * left after the deletes (no leak). Each scenario adds a row to the table printed at the end (and
 * written to {@code target/reliability.md}).
 *
 * <p>The size is {@code -Djack.reliability.size} resources of each kind (3 kinds): CI runs the
 * default; {@code make reliability} runs 70 of each (210 resources).
 */
@JackIntegrationTest
class ReliabilityIT {

  private static final int SIZE = Integer.getInteger("jack.reliability.size", 4);
  private static final Duration CONVERGE = Duration.ofMinutes(Math.max(2, SIZE / 10));

  /** The calls that act on the fleet's AWS resources (not STS's identity lookups). */
  private static final Predicate<AwsProxy.Call> FLEET_CALLS =
      call -> call.service() != null && !"sts".equals(call.service());

  private record Row(
      String scenario,
      int resources,
      long faults,
      int duplicates,
      int leaks,
      int lost,
      Duration converge,
      double peakCallsPerMinutePerResource) {}

  private static final List<Row> TABLE = new ArrayList<>();

  @AfterAll
  static void report() throws IOException {
    StringBuilder table = new StringBuilder();
    table.append(
        "| scenario | resources | faults injected | duplicates | leaks | lost | time to converge"
            + " | max calls / min / resource |\n|---|---|---|---|---|---|---|---|\n");
    synchronized (TABLE) {
      for (Row row : TABLE) {
        table.append(
            String.format(
                "| %s | %d | %d | %d | %d | %d | %.1f s | %.1f |%n",
                row.scenario(),
                row.resources(),
                row.faults(),
                row.duplicates(),
                row.leaks(),
                row.lost(),
                row.converge().toMillis() / 1000.0,
                row.peakCallsPerMinutePerResource()));
      }
    }
    System.out.println("ReliabilityIT (" + SIZE + " of each kind):\n" + table);
    Path out = Files.createDirectories(Path.of("target")).resolve("reliability.md");
    Files.writeString(out, table.toString());
  }

  /**
   * One call in five fails: 500, 503, a connection dropped before the call reaches AWS, and one
   * dropped after AWS acted on it (the create happened, jack never heard). Every resource
   * converges, creates happen once, deletes leave nothing.
   */
  @Test
  void awsErrorsAndResetsOnOneCallInFive(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns) {
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint());
        Fleet fleet = new Fleet(client, ns, moto, SIZE);
        RunningController jack =
            RunningController.start(
                kube,
                proxy.endpoint(),
                // Its own namespace alone: what a failed scenario leaves is not the next one's.
                s -> s.watchNamespaces(List.of(ns.name())))) {
      List<AwsProxy.FaultRule> rules =
          List.of(
              proxy.inject(FLEET_CALLS, 0.07, Fault.INTERNAL_ERROR),
              proxy.inject(FLEET_CALLS, 0.07, Fault.UNAVAILABLE),
              proxy.inject(FLEET_CALLS, 0.04, Fault.RESET),
              proxy.inject(FLEET_CALLS, 0.04, Fault.LOST_ANSWER));
      long start = System.nanoTime();
      fleet.createAll();
      fleet.awaitSynced(CONVERGE);
      fleet.assertConverged();
      fleet.updateAll();
      fleet.awaitUpdated(CONVERGE);
      fleet.awaitSynced(CONVERGE);
      fleet.assertConverged();
      Duration converge = Duration.ofNanos(System.nanoTime() - start);
      fleet.deleteAll();
      fleet.awaitGone(CONVERGE);
      long faults = rules.stream().mapToLong(AwsProxy.FaultRule::injected).sum();
      rules.forEach(AwsProxy.FaultRule::stop);
      fleet.assertNothingLeft();
      assertThat(faults).as("faults injected").isPositive();
      record("AWS 5xx and resets at 20% (create, update, delete)", fleet, faults, converge, proxy);
    }
  }

  /**
   * SQS allows 3 calls a second while the fleet is created and throttles the rest, as AWS limits an
   * API's rate: everything ends synced; SQS's limiter learns a rate (the one it held at the last
   * throttle, sampled every second, is printed) and, once AWS throttles no more, gives way to no
   * limit again; S3, never throttled, keeps an unlimited one; every call the endpoint saw is one
   * jack counted (the SDK retries nothing behind its back).
   */
  @Test
  void aThrottlingStormOnOneService(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns) {
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint());
        Fleet fleet = new Fleet(client, ns, moto, SIZE);
        RunningController jack =
            RunningController.start(
                kube,
                proxy.endpoint(),
                // Its own namespace alone: what a failed scenario leaves is not the next one's.
                s -> s.watchNamespaces(List.of(ns.name())))) {
      AwsProxy.FaultRule storm = proxy.limitRate(call -> "sqs".equals(call.service()), 3);
      // The limiter's rate whenever AWS throttled again since the last look: what it settled at.
      AtomicReference<Double> settled = new AtomicReference<>();
      long[] throttledBefore = {0};
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleWithFixedDelay(
          () -> {
            try {
              long throttled = storm.injected();
              Double rate = jack.rateLimitOrNull("sqs");
              if (throttled > throttledBefore[0] && rate != null && Double.isFinite(rate)) {
                settled.set(rate);
              }
              throttledBefore[0] = throttled;
            } catch (RuntimeException e) {
              // A scrape that failed: the next one counts.
            }
          },
          1,
          1,
          TimeUnit.SECONDS);
      long start = System.nanoTime();
      fleet.createAll();
      fleet.awaitSynced(CONVERGE);
      Duration converge = Duration.ofNanos(System.nanoTime() - start);
      storm.stop();
      sampler.shutdownNow();
      fleet.assertConverged();
      assertThat(storm.injected()).as("throttled calls").isPositive();
      Double sqsRate = settled.get();
      assertThat(sqsRate).as("SQS's rate while AWS throttled").isNotNull().isFinite().isPositive();
      await("SQS's limiter gives way once AWS throttles no more")
          .atMost(AdaptiveRateLimiter.QUIET.plusSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> Double.valueOf(Double.POSITIVE_INFINITY).equals(jack.rateLimit("sqs")));
      assertThat(jack.rateLimitOrNull("s3"))
          .as("S3 was never throttled: it has no limit")
          .isIn(null, Double.POSITIVE_INFINITY);
      for (String service : List.of("sqs", "s3", "apigatewayv2")) {
        long seen = proxy.count(call -> signingName(service).equals(call.service()));
        assertThat(seen)
            .as("%s: the calls at the endpoint are those jack made (no SDK retry)", service)
            .isEqualTo(jack.callsOf(service));
      }
      System.out.printf(
          "ReliabilityIT: SQS's limiter settled at %.1f calls/s; AWS allowed 3%n", sqsRate);
      fleet.deleteAll();
      fleet.awaitGone(CONVERGE);
      fleet.assertNothingLeft();
      record("throttling storm: SQS allows 3 calls/s", fleet, storm.injected(), converge, proxy);
    }
  }

  /**
   * The endpoint drops every connection for a while: each resource says so (ACK.Recoverable, with
   * the error), jack backs off (the call rate while down is measured and bounded), and everything
   * converges once the endpoint is back.
   */
  @Test
  void theEndpointDownForAWhile(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws InterruptedException {
    Duration down = Duration.ofSeconds(Math.max(30, SIZE));
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint());
        Fleet fleet = new Fleet(client, ns, moto, SIZE);
        RunningController jack =
            RunningController.start(
                kube,
                proxy.endpoint(),
                // Its own namespace alone: what a failed scenario leaves is not the next one's.
                s -> s.watchNamespaces(List.of(ns.name())))) {
      AwsProxy.FaultRule outage = proxy.inject(FLEET_CALLS, 1.0, Fault.RESET);
      long start = System.nanoTime();
      fleet.createAll();
      await("every resource reports the outage")
          .atMost(CONVERGE)
          .until(() -> recoverable(fleet) == fleet.resources());
      GenericKubernetesResource one = fleet.list("Queue").get(0);
      assertThat(Resources.conditionMessage(one, AckCondition.RECOVERABLE))
          .as("the message says what failed")
          .isNotBlank();
      Thread.sleep(Math.max(0, down.toMillis() - (System.nanoTime() - start) / 1_000_000));
      long callsWhileDown = outage.injected();
      assertThat(callsWhileDown)
          .as("jack kept retrying while the endpoint was down (more than one call a resource)")
          .isGreaterThan(fleet.resources());
      System.out.println(
          "ReliabilityIT: calls while the endpoint was down, by operation: "
              + proxy.calls().stream()
                  .filter(FLEET_CALLS)
                  .collect(
                      java.util.stream.Collectors.groupingBy(
                          AwsProxy.Call::operation,
                          java.util.TreeMap::new,
                          java.util.stream.Collectors.counting())));
      double minutesDown = (System.nanoTime() - start) / 60e9;
      double perMinutePerResource = callsWhileDown / minutesDown / fleet.resources();
      outage.stop();
      long back = System.nanoTime();
      fleet.awaitSynced(Duration.ofMinutes(6));
      Duration healed = Duration.ofNanos(System.nanoTime() - back);
      fleet.assertConverged();
      // jack's backoff waits about as long as the resource has been failing (1 s, 2 s, 4 s...):
      // over T seconds at most 2 + log2(T) attempts, one call each (the first call, a read,
      // fails), plus one for a reconcile the create's own events start. A reset backoff makes
      // several times that (29 calls/min/resource at 210 resources before
      // Conditions.failureBackoff). The failed reads are tried again at once only while the
      // service's retry quota lasts (the SDK's standard one: 100 retries, refilled by successes
      // alone), so the outage adds at most 100 calls a service (3 here) to that.
      double seconds = minutesDown * 60;
      double attemptsBound = 3 + Math.log(seconds) / Math.log(2);
      int retryQuota = 100 * Fleet.KINDS.size();
      assertThat((double) callsWhileDown)
          .as("calls in %.0f s while the endpoint was down", seconds)
          .isLessThanOrEqualTo(attemptsBound * fleet.resources() + retryQuota);
      System.out.printf(
          "ReliabilityIT: endpoint down %d s: %.1f calls/min/resource; healed %.1f s after%n",
          down.toSeconds(), perMinutePerResource, healed.toMillis() / 1000.0);
      fleet.deleteAll();
      fleet.awaitGone(CONVERGE);
      fleet.assertNothingLeft();
      synchronized (TABLE) {
        TABLE.add(
            new Row(
                "AWS endpoint down " + down.toSeconds() + " s, then back",
                fleet.resources(),
                callsWhileDown,
                0,
                0,
                0,
                Duration.ofNanos(System.nanoTime() - start),
                perMinutePerResource));
      }
    }
  }

  /**
   * jack's process is killed (SIGKILL, nothing finishes) at a random point of a burst of creates,
   * and again of a burst of deletes, and started again: no duplicate, no leak, every finalizer
   * released.
   */
  @Test
  void theControllerKilledDuringCreatesAndDeletes(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(client);
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint());
        Fleet fleet = new Fleet(client, ns, moto, SIZE)) {
      Predicate<AwsProxy.Call> creates = ReliabilityIT::isCreate;
      Predicate<AwsProxy.Call> deletes = ReliabilityIT::isDelete;
      long start = System.nanoTime();
      JackProcess jack = startProcess(kube, proxy, ns, "killed-1", null);
      try {
        fleet.createAll();
        long killAt = ThreadLocalRandom.current().nextLong(1, fleet.resources());
        await().atMost(CONVERGE).until(() -> proxy.count(creates) >= killAt);
        jack.kill();
      } finally {
        jack.close();
      }
      jack = startProcess(kube, proxy, ns, "killed-2", null);
      try {
        fleet.awaitSynced(CONVERGE);
        fleet.assertConverged();
        Duration converge = Duration.ofNanos(System.nanoTime() - start);
        fleet.deleteAll();
        long killAt = ThreadLocalRandom.current().nextLong(1, fleet.resources());
        await().atMost(CONVERGE).until(() -> proxy.count(deletes) >= killAt);
        jack.kill();
        jack.close();
        jack = startProcess(kube, proxy, ns, "killed-3", null);
        fleet.awaitGone(CONVERGE);
        fleet.assertNothingLeft();
        record("controller killed (SIGKILL) in creates and in deletes", fleet, 2, converge, proxy);
      } finally {
        jack.close();
      }
    }
  }

  /**
   * Two replicas with leader election; the leader is killed (SIGKILL: it cannot release the Lease)
   * during a burst: the standby leads within the Lease's duration and finishes the burst, with no
   * create made twice.
   */
  @Test
  void theLeaderKilledUnderABurst(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(client);
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint());
        Fleet fleet = new Fleet(client, ns, moto, SIZE);
        JackProcess a = startProcess(kube, proxy, ns, "replica-a", ns.name());
        JackProcess b = startProcess(kube, proxy, ns, "replica-b", ns.name())) {
      await().atMost(CONVERGE).until(() -> holder(client, ns) != null);
      String leader = holder(client, ns);
      JackProcess leading = leader.startsWith("replica-a") ? a : b;
      long start = System.nanoTime();
      fleet.createAll();
      long killAt = ThreadLocalRandom.current().nextLong(1, fleet.resources());
      await().atMost(CONVERGE).until(() -> proxy.count(ReliabilityIT::isCreate) >= killAt);
      leading.kill();
      long killed = System.nanoTime();
      await("a new leader")
          .atMost(Duration.ofSeconds(60))
          .until(() -> holder(client, ns) != null && !holder(client, ns).equals(leader));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
      // JOSDK's defaults: a 15 s Lease, renewed every 2 s; the standby may be one retry late.
      assertThat(takeover).as("the standby's takeover").isLessThan(Duration.ofSeconds(20));
      fleet.awaitSynced(CONVERGE);
      fleet.assertConverged();
      Duration converge = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf(
          "ReliabilityIT: the standby led %.1f s after the leader was killed%n",
          takeover.toMillis() / 1000.0);
      fleet.deleteAll();
      fleet.awaitGone(CONVERGE);
      fleet.assertNothingLeft();
      record("leader killed under a burst, two replicas", fleet, 1, converge, proxy);
    }
  }

  /**
   * The API server is restarted (down for 5 s; etcd keeps everything) at a random point of a burst
   * of creates, and etcd is frozen for 10 s at a random point of the deletes: jack, the packaged
   * executable, keeps running, reconnects its watches, loses no change that matters (everything
   * converges, every finalizer goes), and creates nothing twice.
   */
  @Test
  void theApiServerRestartedAndEtcdStalledUnderABurst(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(client);
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint());
        Fleet fleet = new Fleet(client, ns, moto, SIZE);
        JackProcess jack = startProcess(kube, proxy, ns, "control-plane", null)) {
      long start = System.nanoTime();
      fleet.createAll();
      long restartAt = ThreadLocalRandom.current().nextLong(1, fleet.resources());
      await().atMost(CONVERGE).until(() -> proxy.count(ReliabilityIT::isCreate) >= restartAt);
      kube.restart(Duration.ofSeconds(5));
      fleet.awaitSynced(CONVERGE);
      fleet.assertConverged();
      Duration converge = Duration.ofNanos(System.nanoTime() - start);
      assertThat(jack.isAlive()).as("jack outlived the API server's restart").isTrue();

      fleet.deleteAll();
      long stallAt = ThreadLocalRandom.current().nextLong(1, fleet.resources());
      await().atMost(CONVERGE).until(() -> proxy.count(ReliabilityIT::isDelete) >= stallAt);
      kube.stallEtcd(Duration.ofSeconds(10));
      fleet.awaitGone(CONVERGE);
      fleet.assertNothingLeft();
      assertThat(jack.isAlive()).as("jack outlived etcd's stall").isTrue();
      record(
          "API server restarted (5 s down) in creates, etcd frozen 10 s in deletes",
          fleet,
          2,
          converge,
          proxy);
    }
  }

  private static void record(
      String scenario, Fleet fleet, long faults, Duration converge, AwsProxy proxy) {
    Fleet.Census census = fleet.census(true);
    double peak = proxy.peak(FLEET_CALLS, Duration.ofMinutes(1)) / (double) fleet.resources();
    synchronized (TABLE) {
      TABLE.add(
          new Row(
              scenario,
              fleet.resources(),
              faults,
              census.duplicates(),
              census.leaked(),
              0,
              converge,
              peak));
    }
  }

  private static int recoverable(Fleet fleet) {
    int n = 0;
    for (String kind : Fleet.KINDS) {
      for (GenericKubernetesResource r : fleet.list(kind)) {
        if ("True".equals(ConditionWait.conditionStatus(r, AckCondition.RECOVERABLE))) {
          n++;
        }
      }
    }
    return n;
  }

  /** The SigV4 signing name of a service as jack's metrics name it. */
  private static String signingName(String service) {
    return service.equals("apigatewayv2") ? "apigateway" : service;
  }

  private static boolean isCreate(AwsProxy.Call call) {
    String operation = call.operation();
    return operation.equals("CreateQueue")
        || operation.equals("POST /v2/apis")
        || ("s3".equals(call.service())
            && call.method().equals("PUT")
            && call.query() == null
            && call.path().indexOf('/', 1) < 0);
  }

  private static boolean isDelete(AwsProxy.Call call) {
    String operation = call.operation();
    return operation.equals("DeleteQueue")
        || (call.method().equals("DELETE")
            && (call.path().startsWith("/v2/apis/")
                || ("s3".equals(call.service())
                    && call.query() == null
                    && call.path().indexOf('/', 1) < 0)));
  }

  /**
   * jack's packaged executable for the fleet's services, watching the test's namespace; with leader
   * election in {@code leaseNamespace} when given. Its identity starts with {@code name}.
   */
  private static JackProcess startProcess(
      KubeApiServer kube, AwsProxy proxy, TestNamespace ns, String name, String leaseNamespace) {
    int health = Ports.freeLoopbackPort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--services",
                "s3,sqs,apigatewayv2",
                "--aws-region",
                "us-east-1",
                "--aws-endpoint-url",
                proxy.endpoint().toString(),
                "--watch-namespace",
                ns.name(),
                "--metrics-addr",
                "127.0.0.1:" + Ports.freeLoopbackPort(),
                "--healthz-addr",
                "127.0.0.1:" + health));
    if (leaseNamespace != null) {
      args.addAll(
          List.of("--enable-leader-election", "--leader-election-namespace", leaseNamespace));
    }
    JackProcess jack =
        JackProcess.start(
            "reliability-" + name,
            args,
            Map.of(
                "KUBECONFIG",
                kube.kubeconfig().toString(),
                "HOSTNAME",
                name,
                "AWS_ACCESS_KEY_ID",
                MotoServer.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY",
                MotoServer.SECRET_ACCESS_KEY,
                "JAVA_OPTS",
                "-XX:MaxRAM=768m"));
    if (leaseNamespace == null) {
      jack.awaitReady(health);
    }
    return jack;
  }

  private static String holder(KubernetesClient client, TestNamespace ns) {
    Lease lease = client.leases().inNamespace(ns.name()).withName(JackController.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}

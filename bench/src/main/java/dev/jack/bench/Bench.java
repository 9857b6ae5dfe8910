package dev.jack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.Crds;
import dev.jack.testenv.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code make bench}: jack's packaged executable and ACK's own S3 controller, each alone against
 * one real API server and a fresh moto behind a counting proxy, one after the other in the same
 * run. Prints a table per scenario (jack, ACK, jack / ACK), writes {@code bench-results.json} and
 * two plots into the output directory, and exits 1 when a scenario failed (its figures are then
 * missing, never guessed).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "jack against ACK's controllers, side by side: time to converge, AWS calls, CPU, memory,"
          + " growth. Defaults take about 10 minutes on 2 cores."
    })
public final class Bench implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--burst",
      description = "resources of each kind created at once (default: ${DEFAULT-VALUE})")
  int burst = 500;

  @Option(
      names = "--steady",
      description =
          "converged resources in the steady state, half of each kind; the burst's are topped up"
              + " (default: 2 × --burst)")
  Integer steady;

  @Option(
      names = "--scaling",
      split = ",",
      description = "burst sizes per kind of the growth runs (default: ${DEFAULT-VALUE})")
  List<Integer> scaling = new ArrayList<>(List.of(100, 1000));

  @Option(
      names = "--ack-scaling-max",
      description =
          "the largest growth size ACK runs; its controller lists every bucket on every read, so"
              + " a larger one takes too long (default: ${DEFAULT-VALUE})")
  int ackScalingMax = 250;

  @Option(
      names = "--footprint",
      description =
          "resources of each kind jack with every service holds when its memory is read (default:"
              + " ${DEFAULT-VALUE})")
  int footprint = 100;

  @Option(
      names = "--controllers",
      split = ",",
      description = "which controllers run: jack, ack (default: ${DEFAULT-VALUE})")
  List<String> controllers = new ArrayList<>(List.of("jack", "ack"));

  @Option(
      names = "--scenarios",
      split = ",",
      description = "moto, side-by-side, scaling, footprint (default: ${DEFAULT-VALUE})")
  List<String> scenarios = new ArrayList<>(List.of("moto", "side-by-side", "scaling", "footprint"));

  @Option(
      names = "--ack-resync-seconds",
      description =
          "ACK's --reconcile-default-resync-seconds; its default and jack's are 10 hours (default:"
              + " ${DEFAULT-VALUE})")
  int ackResyncSeconds = 36000;

  @Option(
      names = "--jack-java-opts",
      description =
          "JAVA_OPTS of jack's executable; the default sizes the JVM as the chart's 768 Mi"
              + " container limit does (default: ${DEFAULT-VALUE})")
  String jackJavaOpts = "-XX:MaxRAM=768m";

  @Option(
      names = "--jack-args",
      split = " ",
      description = "more flags for jack, space separated (e.g. its concurrency)")
  List<String> jackArgs = new ArrayList<>();

  @Option(
      names = "--ack-args",
      split = " ",
      description =
          "more flags for ACK's controller, space separated (e.g."
              + " --reconcile-default-max-concurrent-syncs=4)")
  List<String> ackArgs = new ArrayList<>();

  @Option(
      names = "--idle-seconds",
      description =
          "how long after its start a controller's idle memory is read (default: ${DEFAULT-VALUE})")
  int idleSeconds = 30;

  @Option(
      names = "--moto-seconds",
      description = "how long each of moto's own rates is measured (default: ${DEFAULT-VALUE})")
  int motoSeconds = 3;

  @Option(
      names = "--timeout-seconds",
      description =
          "the longest any one wait may take before the scenario fails (default: ${DEFAULT-VALUE})")
  int timeoutSeconds = 600;

  @Option(
      names = "--ack-crds",
      description =
          "ACK's published CRDs; its Bucket and Queue CRDs serve both controllers (default:"
              + " ${DEFAULT-VALUE})")
  Path ackCrds = Path.of("..", "shared", "ack-reference", "crds");

  @Option(
      names = "--out",
      description = "where the JSON, the plots and the logs go (default: ${DEFAULT-VALUE})")
  Path out = Path.of("bench", "target");

  @Option(
      names = "--report",
      description =
          "run nothing: print the tables of a results file written before and draw its plots"
              + " again, into --out")
  Path report;

  public static void main(String[] args) {
    // The proxy's HTTP server (the JDK's) writes a response's headers and body apart; without
    // TCP_NODELAY, Nagle's algorithm holds the body until the client's delayed ACK, about 40 ms on
    // every call over a kept-alive connection, which would add a second to each of ACK's
    // reconciles (23 calls in a row) and make the endpoint, not the controller, set the pace.
    // Read once, when the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  /** A size of at least one resource, or the option's error. */
  private void requirePositive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(
          spec.commandLine(), option + " is a number of resources, at least 1, not " + value);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (report != null) {
      Results earlier = new ObjectMapper().readValue(report.toFile(), Results.class);
      Files.createDirectories(out);
      Charts.write(earlier, out);
      System.out.println(new Report(earlier).render());
      return earlier.failures().isEmpty() ? 0 : 1;
    }
    requirePositive("--burst", burst);
    requirePositive("--footprint", footprint);
    if (steady != null) {
      requirePositive("--steady", steady);
    }
    scaling.forEach(n -> requirePositive("--scaling", n));
    long start = System.nanoTime();
    String loadBefore = loadAverage();
    Binaries binaries = Binaries.fromEnvironment();
    Path executable = Path.of("controller", "target", "jack-dist", "jack", "bin", "jack");
    if (!Files.isExecutable(executable)) {
      throw new IllegalStateException(
          executable
              + " is missing: build it with `mvn -pl controller -am package -DskipTests` (make bench"
              + " does)");
    }
    Sizes sizes =
        new Sizes(burst, steady == null ? 2 * burst : steady, scaling, ackScalingMax, footprint);
    Path work = out.toAbsolutePath().resolve("bench-run");
    deleteRecursively(work);
    Files.createDirectories(work);
    long clockTicks = clockTicks();
    List<String> failures = new ArrayList<>();
    List<MotoRate.Measurement> moto = new ArrayList<>();
    List<SideBySideRun.Result> sideBySide = new ArrayList<>();
    List<ScalingRun.Point> growth = new ArrayList<>();
    List<FootprintRun.Result> footprints = new ArrayList<>();
    String crds;

    Progress.say("starting the API server (logs under %s)", work);
    try (KubeApiServer kube = KubeApiServer.start(binaries, work.resolve("kube"));
        KubernetesClient client = kube.newAdminClient()) {
      installJackCrds(client);
      List<Path> jackCrds = new ArrayList<>(yamls(Path.of("services", "s3", "crds")));
      jackCrds.addAll(yamls(Path.of("services", "sqs", "crds")));
      List<Path> ackCrdFiles = jackCrds;
      if (Files.isDirectory(ackCrds.resolve("s3")) && Files.isDirectory(ackCrds.resolve("sqs"))) {
        ackCrdFiles = sideBySideCrds(ackCrds);
        crds =
            "each controller's own Bucket and Queue CRDs: jack's (services/*/crds) for jack, ACK's"
                + " published ones ("
                + ackCrds
                + ") for ACK";
      } else {
        crds = "jack's CRDs for both controllers (ACK's were not found at " + ackCrds + ")";
      }
      StageFactory stages =
          new StageFactory(
              client,
              binaries,
              work,
              Duration.ofSeconds(timeoutSeconds),
              new ServerProcesses(clockTicks));
      JackLauncher jack =
          new JackLauncher(
              executable.toAbsolutePath(),
              List.of("s3", "sqs"),
              jackJavaOpts,
              jackArgs,
              kube.kubeconfig(),
              jackCrds,
              clockTicks);
      JackLauncher jackAll =
          new JackLauncher(
              executable.toAbsolutePath(),
              List.of(),
              jackJavaOpts,
              jackArgs,
              kube.kubeconfig(),
              jackCrds,
              clockTicks);
      List<Launcher> launchers = new ArrayList<>();
      if (controllers.contains("jack")) {
        launchers.add(jack);
      }
      if (controllers.contains("ack")) {
        launchers.add(
            new AckS3Launcher(
                binaries.ackS3Controller(),
                ackResyncSeconds,
                ackArgs,
                kube.kubeconfig(),
                ackCrdFiles,
                clockTicks));
      }

      if (scenarios.contains("moto")) {
        Progress.say("measuring moto alone");
        moto.addAll(
            MotoRate.run(
                binaries, work.resolve("moto-rate"), Duration.ofSeconds(motoSeconds), burst));
      }
      if (scenarios.contains("side-by-side")) {
        for (Launcher launcher : launchers) {
          attempt(
              failures,
              launcher.title() + " side by side",
              () -> {
                SideBySideRun.Result result =
                    SideBySideRun.run(
                        stages,
                        launcher,
                        sizes,
                        Duration.ofSeconds(idleSeconds),
                        "bench-" + System.currentTimeMillis());
                sideBySide.add(result);
                growth.add(ScalingRun.Point.of(launcher.id(), result.burst()));
              });
        }
      }
      if (scenarios.contains("scaling")) {
        for (int n : scaling) {
          for (Launcher launcher : launchers) {
            boolean measured =
                growth.stream()
                    .anyMatch(p -> p.controller().equals(launcher.id()) && p.perKind() == n);
            if (measured || (launcher.id().equals("ack") && n > ackScalingMax)) {
              // The side-by-side's burst is this size's point already, or ACK cannot.
              continue;
            }
            attempt(
                failures,
                launcher.title() + " scaling " + n,
                () -> growth.add(ScalingRun.run(stages, launcher, n)));
          }
        }
      }
      if (scenarios.contains("footprint") && controllers.contains("jack")) {
        attempt(
            failures,
            "jack footprint",
            () ->
                footprints.add(
                    FootprintRun.run(stages, jackAll, footprint, Duration.ofSeconds(idleSeconds))));
      }
    }
    growth.sort(
        Comparator.comparing(ScalingRun.Point::controller)
            .thenComparingInt(ScalingRun.Point::resources));
    Results results =
        new Results(
            machine(loadBefore),
            new Results.Settings(
                sizes, ackResyncSeconds, jackJavaOpts, jackArgs, ackArgs, crds, idleSeconds),
            moto,
            sideBySide,
            growth,
            footprints,
            failures,
            (System.nanoTime() - start) / 1e9);
    Path json = out.resolve("bench-results.json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), results);
    Charts.write(results, out);
    System.out.println(new Report(results).render());
    Progress.say(
        "wrote %s, %s and %s",
        json, out.resolve("burst-synced-over-time.png"), out.resolve("scaling.png"));
    return failures.isEmpty() ? 0 : 1;
  }

  /** Runs one part; a failure is reported and recorded, and the run goes on with the next. */
  private static void attempt(List<String> failures, String what, Runnable part) {
    try {
      part.run();
    } catch (RuntimeException e) {
      String message = what + ": " + e.getMessage();
      Progress.say("FAILED %s", message);
      failures.add(message);
    }
  }

  /** jack's CRDs of every kind it has, as its chart installs them. */
  private static void installJackCrds(KubernetesClient client) throws IOException {
    List<Path> files = new ArrayList<>(yamls(Path.of("api", "crds")));
    try (Stream<Path> services = Files.list(Path.of("services"))) {
      for (Path service :
          services.filter(p -> Files.isDirectory(p.resolve("crds"))).sorted().toList()) {
        files.addAll(yamls(service.resolve("crds")));
      }
    }
    Crds.install(client, Crds.read(files));
  }

  /** The Bucket and Queue CRDs under {@code dir}: {@code s3/*.yaml} and {@code sqs/*.yaml}. */
  private static List<Path> sideBySideCrds(Path dir) throws IOException {
    List<Path> files = new ArrayList<>(yamls(dir.resolve("s3")));
    files.addAll(yamls(dir.resolve("sqs")));
    return files;
  }

  private static List<Path> yamls(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static Results.Machine machine(String loadBefore) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Results.Machine(
        Runtime.getRuntime().availableProcessors(),
        os.getTotalMemorySize() / (1024 * 1024),
        "JDK " + System.getProperty("java.version"),
        loadBefore,
        loadAverage(),
        "5.2.1",
        "ACK s3-controller v1.1.1");
  }

  /** The 1, 5 and 15 minute load averages. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The kernel's clock ticks per second, in which /proc counts CPU time. */
  private static long clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String value = new String(getconf.getInputStream().readAllBytes()).trim();
      getconf.waitFor();
      return Long.parseLong(value);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + dir, e);
    }
  }
}

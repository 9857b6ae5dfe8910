package dev.jack.e2e;

import dev.jack.controller.JackController;
import dev.jack.controller.KubernetesClients;
import dev.jack.runtime.AwsService;
import dev.jack.runtime.ControllerSettings;
import dev.jack.testenv.Crds;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The jack controller running in the test's JVM against the test API server and moto. */
final class RunningController implements AutoCloseable {

  /** moto's credentials: it accepts any, and the account is always 123456789012. */
  private static final StaticCredentialsProvider MOTO_CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY));

  private final KubernetesClient client;
  private final JackController controller;

  private RunningController(KubernetesClient client, JackController controller) {
    this.client = client;
    this.controller = controller;
  }

  static RunningController start(KubeApiServer kube, MotoServer moto, Duration resync) {
    return start(kube, moto.endpoint(), resync);
  }

  /** A controller that calls AWS at {@code endpoint}, which need not be moto. */
  static RunningController start(KubeApiServer kube, java.net.URI endpoint, Duration resync) {
    return start(kube, endpoint, resync, null);
  }

  /** A controller with leader election through a Lease in {@code leaseNamespace}. */
  static RunningController start(
      KubeApiServer kube, java.net.URI endpoint, Duration resync, String leaseNamespace) {
    return start(kube, endpoint, resync, leaseNamespace, MOTO_CREDENTIALS);
  }

  /** A controller that calls AWS with {@code credentials}. */
  static RunningController start(
      KubeApiServer kube,
      java.net.URI endpoint,
      Duration resync,
      String leaseNamespace,
      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
    return start(kube, endpoint, resync, leaseNamespace, credentials, settings -> {});
  }

  /** A controller against moto with settings of a test's own, as flags would give them. */
  static RunningController start(
      KubeApiServer kube,
      MotoServer moto,
      java.util.function.Consumer<ControllerSettings.Builder> flags) {
    return start(kube, moto.endpoint(), Duration.ofHours(10), null, MOTO_CREDENTIALS, flags);
  }

  /** A controller that calls AWS at {@code endpoint}, with settings of a test's own. */
  static RunningController start(
      KubeApiServer kube,
      java.net.URI endpoint,
      java.util.function.Consumer<ControllerSettings.Builder> flags) {
    return start(kube, endpoint, Duration.ofHours(10), null, MOTO_CREDENTIALS, flags);
  }

  /**
   * A controller on the CRDs the API server has now (a test's own, ACK's), which it does not
   * replace with jack's.
   */
  static RunningController startOnInstalledCrds(KubeApiServer kube, java.net.URI endpoint) {
    return start(
        kube.adminConfig(),
        endpoint,
        Duration.ofHours(10),
        null,
        MOTO_CREDENTIALS,
        settings -> {},
        false);
  }

  private static RunningController start(
      KubeApiServer kube,
      java.net.URI endpoint,
      Duration resync,
      String leaseNamespace,
      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials,
      java.util.function.Consumer<ControllerSettings.Builder> flags) {
    return start(kube.adminConfig(), endpoint, resync, leaseNamespace, credentials, flags, true);
  }

  /**
   * A controller against moto that reaches the API server as {@code kubeConfig} says (through a
   * relay, say), on the CRDs installed already.
   */
  static RunningController start(
      io.fabric8.kubernetes.client.Config kubeConfig,
      MotoServer moto,
      java.util.function.Consumer<ControllerSettings.Builder> flags) {
    return start(
        kubeConfig, moto.endpoint(), Duration.ofHours(10), null, MOTO_CREDENTIALS, flags, false);
  }

  private static RunningController start(
      io.fabric8.kubernetes.client.Config kubeConfig,
      java.net.URI endpoint,
      Duration resync,
      String leaseNamespace,
      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials,
      java.util.function.Consumer<ControllerSettings.Builder> flags,
      boolean installJackCrds) {
    List<AwsService> services = new ArrayList<>();
    ServiceLoader.load(AwsService.class).forEach(services::add);
    KubernetesClient client = KubernetesClients.create(kubeConfig);
    if (installJackCrds) {
      installCrds(client, services);
    }
    ControllerSettings.Builder settings =
        ControllerSettings.builder("us-east-1")
            .endpoint(endpoint)
            .resyncPeriod(resync)
            .maxConcurrentSyncs(2)
            .controllerVersion("v0.0.0-test");
    flags.accept(settings);
    JackController controller =
        new JackController(
            client, settings.build(), services, credentials, leaseNamespace, () -> {});
    try {
      controller.start();
    } catch (RuntimeException e) {
      controller.close();
      client.close();
      throw e;
    }
    return new RunningController(client, controller);
  }

  /** ACK's own kinds (FieldExport, IAMRoleSelector), which every controller serves. */
  static final Path CORE_CRDS = Path.of("..", "api", "crds");

  /** Installs the CRDs of every service on the class path, as the chart would. */
  static void installCrds(KubernetesClient client) {
    List<AwsService> services = new ArrayList<>();
    ServiceLoader.load(AwsService.class).forEach(services::add);
    installCrds(client, services);
  }

  private static void installCrds(KubernetesClient client, List<AwsService> services) {
    List<Path> files = new ArrayList<>();
    List<Path> dirs = new ArrayList<>(List.of(CORE_CRDS));
    services.forEach(service -> dirs.add(Path.of("..", "services", service.name(), "crds")));
    for (Path dir : dirs) {
      try (Stream<Path> crds = Files.list(dir)) {
        crds.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Crds.install(client, Crds.read(files));
  }

  /** What {@code /metrics} serves now. */
  String scrapeMetrics() {
    return controller.scrapeMetrics();
  }

  /** The value of {@code ack_outbound_api_requests_total} for one operation (0 if never called). */
  long calls(String service, String operation) {
    return sum("ack_outbound_api_requests_total", service, operation);
  }

  /** The value of {@code ack_outbound_api_requests_error_total} for one operation. */
  long errors(String service, String operation) {
    return sum("ack_outbound_api_requests_error_total", service, operation);
  }

  /** The number of calls of every operation, by operation, summed over several services. */
  Map<String, Long> callsByOperation(List<String> services) {
    Map<String, Long> all = new java.util.TreeMap<>();
    for (String service : services) {
      callsByOperation(service).forEach((op, n) -> all.merge(op, n, Long::sum));
    }
    return all;
  }

  /** The number of calls of every operation, by operation, for one service. */
  Map<String, Long> callsByOperation(String service) {
    Map<String, Long> calls = new java.util.TreeMap<>();
    Pattern line = Pattern.compile("ack_outbound_api_requests_total\\{([^}]*)} ([0-9.E]+)");
    for (String text : controller.scrapeMetrics().split("\n")) {
      Matcher m = line.matcher(text);
      if (m.matches() && m.group(1).contains("service=\"" + service + "\"")) {
        Matcher op = Pattern.compile("op_id=\"([^\"]+)\"").matcher(m.group(1));
        if (op.find()) {
          calls.merge(op.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
        }
      }
    }
    return calls;
  }

  private long sum(String metric, String service, String operation) {
    long total = 0;
    for (String text : controller.scrapeMetrics().split("\n")) {
      if (text.startsWith(metric + "{")
          && text.contains("service=\"" + service + "\"")
          && text.contains("op_id=\"" + operation + "\"")) {
        total += (long) Double.parseDouble(text.substring(text.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** Every call the controller made to one service (ack_outbound_api_requests_total). */
  long callsOf(String service) {
    return callsByOperation(List.of(service)).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The gauge {@code jack_aws_rate_limit} of a service in moto's account; fails if none. */
  double rateLimit(String service) {
    Double rate = rateLimitOrNull(service);
    if (rate == null) {
      throw new AssertionError("no rate limit for " + service + ": AWS never throttled it");
    }
    return rate;
  }

  /** The gauge {@code jack_aws_rate_limit} of a service, null while AWS never throttled it. */
  Double rateLimitOrNull(String service) {
    return rateLimitOrNull(service, "us-east-1");
  }

  /** The same, in a region. */
  Double rateLimitOrNull(String service, String region) {
    Matcher m =
        Pattern.compile(
                "jack_aws_rate_limit\\{account=\"123456789012\",region=\""
                    + region
                    + "\",service=\""
                    + service
                    + "\"} (\\S+)")
            .matcher(controller.scrapeMetrics());
    return m.find() ? Double.parseDouble(m.group(1).replace("+Inf", "Infinity")) : null;
  }

  /** The kinds a process serving every service watches: every service's and FieldExport. */
  static long everyKind() {
    long kinds = 1; // FieldExport
    for (AwsService service : ServiceLoader.load(AwsService.class)) {
      kinds += service.kinds().size();
    }
    return kinds;
  }

  /** Every metric the controller exposes, as /metrics serves them. */
  String metrics() {
    return controller.scrapeMetrics();
  }

  /** Serves /metrics, /healthz and /readyz on a free loopback port; returns its base URI. */
  java.net.URI serveOnFreePort() {
    int port = dev.jack.testenv.Ports.freeLoopbackPort();
    java.net.InetSocketAddress address = new java.net.InetSocketAddress("127.0.0.1", port);
    controller.serve(address, address);
    return java.net.URI.create("http://127.0.0.1:" + port);
  }

  /** The controller's identity in the leader election Lease. */
  String identity() {
    return controller.identity();
  }

  @Override
  public void close() {
    controller.close();
    client.close();
  }
}

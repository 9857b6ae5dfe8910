package dev.jack.sandbox;

import dev.jack.controller.JackController;
import dev.jack.controller.KubernetesClients;
import dev.jack.runtime.AwsService;
import dev.jack.runtime.ControllerSettings;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.Crds;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * jack's local sandbox: a real Kubernetes API server, the moto AWS emulator and the jack controller
 * with every service, on loopback ports under {@code $JACK_CACHE/sandbox}. It applies the examples
 * of the services that run end to end and the orders application, shows a table of them as they
 * converge, then what exists in AWS, read back from moto; it runs until Ctrl-C, or with {@code
 * --once} exits: 0 when every example is synced, 1 with the failing conditions when one is not.
 */
public final class Sandbox {

  /** The examples applied at start: the kinds that run end to end against moto, and the app. */
  static final List<String> EXAMPLES =
      List.of(
          "examples/sqs",
          "examples/s3",
          "examples/sns",
          "examples/dynamodb",
          "examples/ecr",
          "examples/apigatewayv2",
          "examples/app");

  private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(3);

  /** One applied resource of the examples. */
  record Example(String apiVersion, String kind, String name) {}

  /** Where a resource stands: synced, not served by the emulator, failed, or still on its way. */
  enum State {
    SYNCED,
    NOT_SERVED,
    FAILED,
    PENDING
  }

  private final Path root;
  private final PrintStream out;

  Sandbox(Path root, PrintStream out) {
    this.root = root;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    boolean once = false;
    for (String arg : args) {
      if (arg.equals("--once")) {
        once = true;
      } else {
        System.err.println(
            "unknown argument '"
                + arg
                + "'\nusage: Sandbox [--once]  (--once: exit when the examples are synced)");
        System.exit(2);
      }
    }
    int code = new Sandbox(Path.of("").toAbsolutePath(), System.out).run(once);
    System.exit(code);
  }

  /** Runs the sandbox; with {@code once}, answers the exit code, else runs until stopped. */
  int run(boolean once) throws Exception {
    Binaries binaries = Binaries.fromEnvironment();
    Path workDir = binaries.cacheDir().resolve(once ? "sandbox-once" : "sandbox");
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    // The controller logs to a file in the sandbox; the terminal shows what the sandbox does.
    System.setProperty("JACK_SANDBOX_LOG", workDir.resolve("controller.log").toString());
    System.setProperty("logback.configurationFile", "logback-sandbox.xml");

    out.println("Starting the jack sandbox in " + workDir + " ...");
    KubeApiServer kube = KubeApiServer.start(binaries, workDir.resolve("kube"));
    MotoServer moto = MotoServer.start(binaries, workDir.resolve("moto"));
    KubernetesClient client = KubernetesClients.create(kube.adminConfig());
    JackController controller = controller(client, moto);
    Runnable stop =
        () -> {
          controller.close();
          client.close();
          moto.close();
          kube.close();
        };
    int port = Ports.freeLoopbackPort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    try {
      installCrds(client);
      controller.serve(address, address);
      controller.start();
      Path envFile = workDir.resolve("env.sh");
      Files.writeString(envFile, environment(kube, moto));
      List<Example> examples = apply(kube);
      Map<Example, State> states = converge(client, examples, once);
      printAws(moto);
      List<String> failures = failures(client, states);
      out.println(summary(states));
      if (once) {
        failures.forEach(out::println);
        return failures.isEmpty() ? 0 : 1;
      }
      out.println(
          """

          The jack sandbox is up: %d kinds.

            Kubernetes API server  %s   (kubeconfig %s)
            AWS emulator (moto)    %s
            controller metrics     http://127.0.0.1:%d/metrics

          In another shell:
            source %s
            kubectl get buckets,queues,topics,subscriptions,tables,repositories,apis,routes -A
            kubectl describe queue orders-fulfilment   # its conditions, and the events of what jack did
            aws --endpoint-url "$AWS_ENDPOINT_URL" sns list-subscriptions

          The controller's log is %s. Press Ctrl-C to stop.
          """
              .formatted(
                  controller.kinds().size(),
                  kube.url(),
                  kube.kubeconfig(),
                  moto.endpoint(),
                  port,
                  envFile,
                  workDir.resolve("controller.log")));
    } catch (RuntimeException | IOException e) {
      stop.run();
      throw e;
    }
    if (once) {
      stop.run();
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the jack sandbox ...");
                  stop.run();
                  stopped.countDown();
                },
                "sandbox-shutdown"));
    stopped.await();
    return 0;
  }

  private static JackController controller(KubernetesClient client, MotoServer moto) {
    List<AwsService> services = new ArrayList<>();
    ServiceLoader.load(AwsService.class).forEach(services::add);
    return new JackController(
        client,
        ControllerSettings.builder("us-east-1")
            .endpoint(moto.endpoint())
            .resyncPeriod(Duration.ofMinutes(1))
            .maxConcurrentSyncs(4)
            .controllerVersion("sandbox")
            .build(),
        services,
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY)),
        null,
        () -> {});
  }

  private void installCrds(KubernetesClient client) throws IOException {
    // The services' kinds, and ACK's own FieldExport and IAMRoleSelector kinds (api/crds).
    try (Stream<Path> files =
        Stream.concat(Files.walk(root.resolve("services")), Files.walk(root.resolve("api")))) {
      List<Path> crds =
          files
              .filter(f -> f.getParent() != null && f.getParent().endsWith("crds"))
              .filter(f -> f.toString().endsWith(".yaml"))
              .sorted()
              .toList();
      Crds.install(client, Crds.read(crds));
    }
  }

  /** Applies the examples with kubectl, a file at a time, and answers what they hold. */
  private List<Example> apply(KubeApiServer kube) throws IOException {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    List<Example> examples = new ArrayList<>();
    for (String dir : EXAMPLES) {
      List<Path> files;
      try (Stream<Path> listed = Files.list(root.resolve(dir))) {
        files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      }
      for (Path example : files) {
        out.print(kubectl.succeed("apply", "-n", "default", "-f", example.toString()));
        for (String document : Files.readString(example).split("\n---\n")) {
          String apiVersion = field(document, "apiVersion:");
          if (apiVersion.contains("services.k8s.aws")) {
            String kind = field(document, "kind:");
            String name = field(document.substring(document.indexOf("metadata:")), "name:");
            examples.add(new Example(apiVersion, kind, name));
          }
        }
      }
    }
    return examples;
  }

  /**
   * Shows the examples as they converge (a table refreshed in place on a terminal, printed when it
   * changes otherwise) until none is pending, or the time is up.
   */
  private Map<Example, State> converge(
      KubernetesClient client, List<Example> examples, boolean once) {
    boolean terminal = System.console() != null && !once;
    Instant deadline = Instant.now().plus(CONVERGE_TIMEOUT);
    String shown = null;
    while (true) {
      Map<Example, State> states = new LinkedHashMap<>();
      Map<Example, GenericKubernetesResource> resources = new LinkedHashMap<>();
      for (Example example : examples) {
        GenericKubernetesResource resource = get(client, example);
        resources.put(example, resource);
        states.put(example, state(resource));
      }
      String table = table(client, resources, states);
      if (!table.equals(shown)) {
        out.print(terminal ? "\033[H\033[2J" + table : table + "\n");
        shown = table;
      }
      boolean pending = states.containsValue(State.PENDING);
      if (!pending || Instant.now().isAfter(deadline)) {
        return states;
      }
      sleep(Duration.ofSeconds(1));
    }
  }

  private static GenericKubernetesResource get(KubernetesClient client, Example example) {
    return client
        .genericKubernetesResources(example.apiVersion(), example.kind())
        .inNamespace("default")
        .withName(example.name())
        .get();
  }

  static State state(GenericKubernetesResource resource) {
    if (resource == null) {
      return State.PENDING;
    }
    if ("True".equals(ConditionWait.conditionStatus(resource, "ACK.ResourceSynced"))) {
      return State.SYNCED;
    }
    if (condition(resource, "ACK.Recoverable", "NotImplemented") != null) {
      return State.NOT_SERVED;
    }
    if ("True".equals(ConditionWait.conditionStatus(resource, "ACK.Terminal"))) {
      return State.FAILED;
    }
    return State.PENDING;
  }

  /** KIND, NAME, SYNCED, AGE and the last event of each example. */
  private static String table(
      KubernetesClient client,
      Map<Example, GenericKubernetesResource> resources,
      Map<Example, State> states) {
    Map<String, Event> lastEvents = new LinkedHashMap<>();
    for (Event event : client.v1().events().inNamespace("default").list().getItems()) {
      String key = event.getInvolvedObject().getKind() + "/" + event.getInvolvedObject().getName();
      Event known = lastEvents.get(key);
      if (known == null || time(event).isAfter(time(known))) {
        lastEvents.put(key, event);
      }
    }
    StringBuilder table = new StringBuilder();
    String format = "%-26s %-36s %-9s %5s  %s%n";
    table.append(String.format(format, "KIND", "NAME", "SYNCED", "AGE", "LAST EVENT"));
    for (Map.Entry<Example, GenericKubernetesResource> entry : resources.entrySet()) {
      Example example = entry.getKey();
      GenericKubernetesResource resource = entry.getValue();
      Event event = lastEvents.get(example.kind() + "/" + example.name());
      String synced =
          switch (states.get(example)) {
            case SYNCED -> "True";
            case NOT_SERVED -> "NotServed";
            case FAILED -> "Terminal";
            case PENDING -> "False";
          };
      String age =
          resource == null
              ? "-"
              : Duration.between(
                          ZonedDateTime.parse(resource.getMetadata().getCreationTimestamp())
                              .toInstant(),
                          Instant.now())
                      .toSeconds()
                  + "s";
      String last = event == null ? "" : event.getReason() + ": " + event.getMessage();
      table.append(
          String.format(
              format,
              example.kind(),
              example.name(),
              synced,
              age,
              last.length() > 70 ? last.substring(0, 67) + "..." : last));
    }
    return table.toString();
  }

  private static Instant time(Event event) {
    String when =
        event.getLastTimestamp() != null
            ? event.getLastTimestamp()
            : event.getEventTime() != null ? event.getEventTime().getTime() : null;
    return when == null ? Instant.EPOCH : ZonedDateTime.parse(when).toInstant();
  }

  private static String summary(Map<Example, State> states) {
    long synced = states.values().stream().filter(s -> s == State.SYNCED).count();
    long notServed = states.values().stream().filter(s -> s == State.NOT_SERVED).count();
    return "\n"
        + synced
        + " of "
        + states.size()
        + " examples are synced with AWS"
        + (notServed > 0
            ? "; "
                + notServed
                + " need an operation the emulator lacks (ACK.Recoverable, reason"
                + " NotImplemented)"
            : "");
  }

  /** What keeps the sandbox from being fully synced: each failing resource and its conditions. */
  private static List<String> failures(KubernetesClient client, Map<Example, State> states) {
    List<String> failures = new ArrayList<>();
    states.forEach(
        (example, state) -> {
          if (state == State.FAILED || state == State.PENDING) {
            GenericKubernetesResource resource = get(client, example);
            failures.add(
                "NOT SYNCED: "
                    + example.kind()
                    + " "
                    + example.name()
                    + (resource == null ? ": not found" : ": " + conditions(resource)));
          }
        });
    return failures;
  }

  /** What now exists in AWS, read back from moto with the SDK. */
  private void printAws(MotoServer moto) {
    out.println("\nIn AWS (read back from moto):");
    try (S3Client s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
        SqsClient sqs = moto.configure(SqsClient.builder()).build();
        SnsClient sns = moto.configure(SnsClient.builder()).build();
        DynamoDbClient dynamodb = moto.configure(DynamoDbClient.builder()).build();
        EcrClient ecr = moto.configure(EcrClient.builder()).build();
        ApiGatewayV2Client apis = moto.configure(ApiGatewayV2Client.builder()).build()) {
      line("S3 buckets", s3.listBuckets().buckets().stream().map(b -> b.name()).toList());
      line(
          "SQS queues",
          sqs.listQueues().queueUrls().stream()
              .map(u -> u.substring(u.lastIndexOf('/') + 1))
              .toList());
      line(
          "SNS topics",
          sns.listTopics().topics().stream()
              .map(t -> t.topicArn().substring(t.topicArn().lastIndexOf(':') + 1))
              .toList());
      line(
          "SNS subscriptions",
          sns.listSubscriptions().subscriptions().stream()
              .map(s -> s.protocol() + " " + s.endpoint())
              .toList());
      line("DynamoDB tables", dynamodb.listTables().tableNames());
      line(
          "ECR repositories",
          ecr.describeRepositories().repositories().stream().map(r -> r.repositoryName()).toList());
      line(
          "API Gateway APIs",
          apis.getApis(b -> {}).items().stream()
              .map(a -> a.name() + " " + a.apiEndpoint())
              .toList());
    }
  }

  private void line(String what, List<String> names) {
    out.printf("  %-18s %s%n", what, names.isEmpty() ? "(none)" : String.join(", ", names));
  }

  private static String conditions(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
      return "no status yet";
    }
    List<String> texts = new ArrayList<>();
    for (Object item : list) {
      Map<?, ?> condition = (Map<?, ?>) item;
      texts.add(
          condition.get("type")
              + "="
              + condition.get("status")
              + (condition.get("message") != null ? " (" + condition.get("message") + ")" : ""));
    }
    return String.join("; ", texts);
  }

  /** The message of a condition that is True with the given reason, or null. */
  private static String condition(GenericKubernetesResource resource, String type, String reason) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
      return null;
    }
    for (Object item : list) {
      Map<?, ?> condition = (Map<?, ?>) item;
      if (type.equals(condition.get("type"))
          && "True".equals(condition.get("status"))
          && reason.equals(condition.get("reason"))) {
        return String.valueOf(condition.get("message"));
      }
    }
    return null;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String field(String yaml, String key) {
    return yaml.lines()
        .map(String::trim)
        .filter(l -> l.startsWith(key))
        .findFirst()
        .orElseThrow()
        .substring(key.length())
        .trim();
  }

  private static String environment(KubeApiServer kube, MotoServer moto) {
    return """
        export KUBECONFIG=%s
        export AWS_ENDPOINT_URL=%s
        export AWS_ACCESS_KEY_ID=%s
        export AWS_SECRET_ACCESS_KEY=%s
        export AWS_REGION=us-east-1
        export AWS_DEFAULT_REGION=us-east-1
        """
        .formatted(
            kube.kubeconfig(),
            moto.endpoint(),
            MotoServer.ACCESS_KEY_ID,
            MotoServer.SECRET_ACCESS_KEY);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}

package dev.jack.sandbox;

import dev.jack.controller.JackController;
import dev.jack.runtime.AwsService;
import dev.jack.runtime.ControllerSettings;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.Crds;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * jack's local sandbox: a real Kubernetes API server, the moto AWS emulator and the jack controller
 * with every service, on loopback ports under {@code $JACK_CACHE/sandbox}. It applies the examples
 * of the services that run end to end, shows them converge, and runs until Ctrl-C.
 */
public final class Sandbox {

  /** The examples applied at start: kinds whose controllers are complete. */
  private static final List<String> EXAMPLES =
      List.of(
          "examples/sqs",
          "examples/s3",
          "examples/sns",
          "examples/dynamodb",
          "examples/ecr",
          "examples/apigatewayv2",
          "examples/app");

  private Sandbox() {}

  public static void main(String[] args) throws Exception {
    Binaries binaries = Binaries.fromEnvironment();
    Path workDir = binaries.cacheDir().resolve("sandbox");
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    // The controller logs to a file in the sandbox; the terminal shows what the sandbox does.
    System.setProperty("JACK_SANDBOX_LOG", workDir.resolve("controller.log").toString());
    System.setProperty("logback.configurationFile", "logback-sandbox.xml");

    System.out.println("Starting the jack sandbox in " + workDir + " ...");
    KubeApiServer kube = KubeApiServer.start(binaries, workDir.resolve("kube"));
    MotoServer moto = MotoServer.start(binaries, workDir.resolve("moto"));
    KubernetesClient client = kube.newAdminClient();

    List<AwsService> services = new ArrayList<>();
    ServiceLoader.load(AwsService.class).forEach(services::add);
    installCrds(client);
    JackController controller =
        new JackController(
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
    int port = Ports.freeLoopbackPort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    controller.serve(address, address);
    controller.start();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping the jack sandbox ...");
                  controller.close();
                  client.close();
                  moto.close();
                  kube.close();
                  stopped.countDown();
                },
                "sandbox-shutdown"));

    Path envFile = workDir.resolve("env.sh");
    Files.writeString(envFile, environment(kube, moto));
    applyExamples(kube, client);
    System.out.println(
        """

        The jack sandbox is up: %d kinds.

          Kubernetes API server  %s
          AWS emulator (moto)    %s
          controller metrics     http://127.0.0.1:%d/metrics

        In another shell:
          source %s
          kubectl get buckets,queues,topics,subscriptions,tables,repositories,apis,routes -A
          kubectl apply -f examples/app/orders.yaml -n default
          aws --endpoint-url "$AWS_ENDPOINT_URL" sns list-subscriptions

        Logs are in %s. Press Ctrl-C to stop.
        """
            .formatted(
                controller.kinds().size(), kube.url(), moto.endpoint(), port, envFile, workDir));
    stopped.await();
  }

  private static void installCrds(KubernetesClient client) throws IOException {
    // The services' kinds, and ACK's own FieldExport kind (api/crds).
    try (Stream<Path> files =
        Stream.concat(Files.walk(Path.of("services")), Files.walk(Path.of("api")))) {
      List<Path> crds =
          files
              .filter(f -> f.getParent() != null && f.getParent().endsWith("crds"))
              .filter(f -> f.toString().endsWith(".yaml"))
              .sorted()
              .toList();
      Crds.install(client, Crds.read(crds));
    }
  }

  /**
   * Applies the examples with kubectl, a directory at a time (references between them resolve by
   * themselves), and waits until each is synced with AWS, or reports that the emulator lacks an
   * operation its kind needs.
   */
  private static void applyExamples(KubeApiServer kube, KubernetesClient client)
      throws IOException {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    for (String dir : EXAMPLES) {
      List<Path> files;
      try (Stream<Path> listed = Files.list(Path.of(dir))) {
        files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      }
      for (Path example : files) {
        System.out.print(kubectl.succeed("apply", "-n", "default", "-f", example.toString()));
      }
      for (Path example : files) {
        for (String document : Files.readString(example).split("\n---\n")) {
          String apiVersion = field(document, "apiVersion:");
          if (!apiVersion.contains("services.k8s.aws")) {
            continue; // a Kubernetes object of the example (a ConfigMap): nothing to sync
          }
          String kind = field(document, "kind:");
          String name = field(document.substring(document.indexOf("metadata:")), "name:");
          System.out.println(
              "  " + kind + " " + name + " " + outcome(client, apiVersion, kind, name));
        }
      }
    }
  }

  /** Waits until a resource is synced, or says why it is not. */
  private static String outcome(
      KubernetesClient client, String apiVersion, String kind, String name) {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    GenericKubernetesResource resource = null;
    while (Instant.now().isBefore(deadline)) {
      resource =
          client
              .genericKubernetesResources(apiVersion, kind)
              .inNamespace("default")
              .withName(name)
              .get();
      if (resource != null) {
        if ("True".equals(ConditionWait.conditionStatus(resource, "ACK.ResourceSynced"))) {
          return "is synced with AWS";
        }
        String missing = conditionMessage(resource, "ACK.Recoverable", "NotImplemented");
        if (missing != null) {
          return "is not synced: " + missing;
        }
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        kind + " " + name + " did not reach ACK.ResourceSynced within 2 minutes: " + resource);
  }

  /** The message of a condition that is True with the given reason, or null. */
  @SuppressWarnings("unchecked")
  private static String conditionMessage(
      GenericKubernetesResource resource, String type, String reason) {
    Object status = resource.getAdditionalProperties().get("status");
    if (!(status instanceof java.util.Map<?, ?> map)
        || !(map.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    for (Object item : conditions) {
      java.util.Map<String, Object> condition = (java.util.Map<String, Object>) item;
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

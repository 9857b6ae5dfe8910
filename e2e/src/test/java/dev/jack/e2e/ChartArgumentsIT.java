package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.controller.JackController;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * jack's executable started as ACK's Helm chart starts ACK's controller: the arguments of its
 * {@code templates/deployment.yaml} as the kubelet expands them from the chart's default values
 * (most of them empty), and the environment the chart gives the pod. Only the endpoint (the chart's
 * {@code aws.endpoint_url}, here moto) and the two listen addresses (free ports, so that the test
 * collides with nothing) are set.
 */
@JackIntegrationTest
class ChartArgumentsIT {

  private static final String SYSTEM_NAMESPACE = "ack-system";

  @Test
  void theChartsDefaultArgumentsStartJackWhichLeadsAndReconciles(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(SYSTEM_NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    int metrics = Ports.freeLoopbackPort();
    int health = Ports.freeLoopbackPort();
    List<String> args =
        List.of(
            "--aws-region",
            "us-west-2",
            "--aws-endpoint-url",
            moto.endpoint().toString(),
            "--log-level",
            "",
            "--resource-tags",
            "",
            "--watch-namespace",
            "",
            "--watch-selectors",
            "",
            "--reconcile-resources",
            "",
            "--deletion-policy",
            "",
            "--enable-carm=true",
            "--enable-leader-election",
            "--leader-election-namespace",
            "",
            "--reconcile-default-resync-seconds",
            "36000",
            "--reconcile-default-max-concurrent-syncs",
            "1",
            "--feature-gates",
            "",
            "--aws-endpoint-use-path-style=false",
            "--metrics-addr",
            "127.0.0.1:" + metrics,
            "--healthz-addr",
            "127.0.0.1:" + health);
    Path log = Files.createDirectories(Path.of("target")).resolve("chart-arguments-jack.log");
    Process jack = start(args, kube, log);
    try {
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                assertThat(jack.isAlive()).as("jack runs; its log:\n%s", tail(log)).isTrue();
                return status(http, health, "/readyz") == 200;
              });
      // Every service in one process: jack's own Lease (with --services s3, ACK's ack-s3 one).
      await()
          .atMost(Resources.TIMEOUT)
          .until(() -> holder(client, JackController.LEASE_NAME) != null);

      String name = "chart-" + ns.name();
      Resources<Bucket, BucketSpec> buckets =
          new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
      buckets.create("charted", spec -> spec.setName(name));
      buckets.waitFor("charted", AckCondition.RESOURCE_SYNCED, "True");
      try (S3Client s3 = moto.configure(S3Client.builder()).region(Region.US_WEST_2).build()) {
        assertThat(s3.getBucketLocation(b -> b.bucket(name)).locationConstraintAsString())
            .as("the chart's region")
            .isEqualTo("us-west-2");
      }
      assertThat(body(http, metrics, "/metrics")).contains("jack_resources");
      buckets.deleteAndWait("charted");
    } finally {
      jack.destroy();
      assertThat(jack.waitFor(30, TimeUnit.SECONDS)).as("jack stops on SIGTERM").isTrue();
    }
    // A watch the API server closes while it sets up CRDs just installed is retried by the client
    // with a warning; an error is something else.
    assertThat(Files.readAllLines(log, StandardCharsets.UTF_8))
        .as("jack logs no error")
        .noneMatch(line -> line.contains(" ERROR "));
  }

  /** The executable as the image runs it, with the pod's environment as the chart sets it. */
  private static Process start(List<String> args, KubeApiServer kube, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.jack.controller.Main");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("ACK_"));
    env.put("KUBECONFIG", kube.kubeconfig().toString());
    env.put("ACK_SYSTEM_NAMESPACE", SYSTEM_NAMESPACE);
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    return builder.start();
  }

  private static String holder(KubernetesClient client, String lease) {
    Lease found = client.leases().inNamespace(SYSTEM_NAMESPACE).withName(lease).get();
    return found == null ? null : found.getSpec().getHolderIdentity();
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String body(HttpClient http, int port, String path) throws Exception {
    return http.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}

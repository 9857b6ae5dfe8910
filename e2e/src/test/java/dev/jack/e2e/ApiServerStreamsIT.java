package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.controller.JackController;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.TcpRelay;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * jack's client carries its watches and requests to the API server as streams of one HTTP/2
 * connection. An API server allows so many streams per connection ({@code
 * --http2-max-streams-per-connection}, 1000 in kube-apiserver); a process with more watches than
 * that (every kind in several namespaces) opens another connection rather than losing a watch.
 */
@JackIntegrationTest
class ApiServerStreamsIT {

  /**
   * Fewer than Go's servers allow by default (250): jack's kinds' watches in three namespaces are
   * more than twice as many.
   */
  private static final int STREAMS = 150;

  @Test
  void moreWatchesThanOneConnectionCarriesAllWork(MotoServer moto, @TempDir Path dir)
      throws Exception {
    KubeApiServer.Options options =
        new KubeApiServer.Options(
            "127.0.0.1", List.of("--http2-max-streams-per-connection=" + STREAMS), List.of());
    try (KubeApiServer kube = KubeApiServer.start(Binaries.fromEnvironment(), dir, options);
        KubernetesClient client = kube.newAdminClient();
        TestNamespace first = TestNamespace.create(client, "streams-first");
        TestNamespace second = TestNamespace.create(client, "streams-second");
        TestNamespace third = TestNamespace.create(client, "streams-third");
        SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      RunningController.installCrds(client);
      // One watch per kind and namespace: more than twice what one connection may carry.
      assertThat(3 * RunningController.everyKind()).isGreaterThan(2 * STREAMS);

      try (RunningController controller =
          RunningController.start(
              kube,
              moto,
              flags -> flags.watchNamespaces(Set.of(first.name(), second.name(), third.name())))) {
        URI base = controller.serveOnFreePort();
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(status(http, base.resolve("/readyz"))).isEqualTo(200));

        for (TestNamespace ns : List.of(first, second, third)) {
          Resources<Queue, QueueSpec> queues =
              new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
          String name = "streams-" + ns.name();
          queues.create("queue", spec -> spec.setQueueName(name));
          queues.waitFor("queue", AckCondition.RESOURCE_SYNCED, "True");
          assertThat(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl()).isNotBlank();
          queues.deleteAndWait("queue");
        }
      }
    }
  }

  /**
   * Every kind lists and watches at once when the process starts. They do so on their clients'
   * connections alone: one per {@link JackController#WATCHES_PER_CONNECTION} kinds in one
   * namespace, two for every service. Before the first connection was up, the JDK's HTTP client
   * opened one for each request made (73 at once, each a TLS handshake).
   */
  @Test
  void everyKindStartsOnItsClientsConnectionsAlone(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    RunningController.installCrds(client);
    try (TcpRelay relay = TcpRelay.start(InetAddress.getLoopbackAddress(), kube.url().getPort())) {
      Config throughRelay =
          new ConfigBuilder(kube.adminConfig())
              .withMasterUrl("https://127.0.0.1:" + relay.port())
              .build();
      try (RunningController controller =
          RunningController.start(
              throughRelay, moto, flags -> flags.watchNamespaces(Set.of(ns.name())))) {
        long kinds = RunningController.everyKind();
        long clients =
            (kinds + JackController.WATCHES_PER_CONNECTION - 1)
                / JackController.WATCHES_PER_CONNECTION;
        assertThat(clients).isEqualTo(2);
        assertThat(relay.accepted()).isEqualTo((int) clients);
      }
    }
  }

  private static int status(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}

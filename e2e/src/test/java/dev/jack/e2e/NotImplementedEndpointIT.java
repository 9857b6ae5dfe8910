package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.jack.api.AckCondition;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An AWS endpoint that lacks the operations jack calls, answering as moto does for an unknown route
 * (HTTP 404 with an HTML page): the resource gets a clear condition, and jack does not call again
 * until the resync period.
 */
@JackIntegrationTest
class NotImplementedEndpointIT {

  private static final byte[] PAGE =
      "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>"
          .getBytes(StandardCharsets.UTF_8);

  private static HttpServer endpoint;
  private static final AtomicInteger requests = new AtomicInteger();
  private static RunningController controller;

  @BeforeAll
  static void start(KubeApiServer kube) throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(404, PAGE.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(PAGE);
          }
        });
    endpoint.start();
    URI url = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort());
    controller = RunningController.start(kube, url, Duration.ofHours(10));
  }

  @AfterAll
  static void stop() {
    if (controller != null) {
      controller.close();
    }
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  @Test
  void aMissingOperationIsReportedWithoutAHotLoop(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    queues.create("unreachable", spec -> spec.setQueueName("unreachable"));

    GenericKubernetesResource reported =
        queues.waitFor("unreachable", AckCondition.RECOVERABLE, "True");

    assertThat(Resources.conditionMessage(reported, AckCondition.RECOVERABLE))
        .contains("does not implement");
    queues.awaitEvent("unreachable", "NotImplemented");
    int seen = requests.get();
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(7))
        .until(() -> requests.get() == seen);

    // No AWS resource exists to clean up: let the resource go without the controller.
    controller.close();
    controller = null;
    client
        .resources(Queue.class)
        .inNamespace(ns.name())
        .withName("unreachable")
        .edit(
            q -> {
              q.getMetadata().setFinalizers(java.util.List.of());
              return q;
            });
    queues.deleteAndWait("unreachable");
  }
}

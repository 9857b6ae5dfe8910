package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * jack writes a status only when it changes: the resyncs of a converged resource read AWS and write
 * nothing to the API server, counted by the API server's own request metrics; a change of the spec
 * is still recorded.
 */
@JackIntegrationTest
class StatusWritesIT {

  private static final Pattern QUEUE_STATUS_PATCHES =
      Pattern.compile(
          "apiserver_request_total\\{([^}]*resource=\"queues\"[^}]*subresource=\"status\"[^}]*"
              + "verb=\"PATCH\"[^}]*)} ([0-9.e+]+)");

  @Test
  void theResyncsOfAConvergedResourceWriteNoStatus(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    try (RunningController jack =
        RunningController.start(
            kube,
            moto,
            settings ->
                settings.watchNamespaces(List.of(ns.name())).resyncPeriod(Duration.ofSeconds(2)))) {
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("quiet", spec -> spec.setQueueName("quiet-" + ns.name()));
      queues.waitFor("quiet", AckCondition.RESOURCE_SYNCED, "True");
      Resources.settled(() -> jack.callsByOperation("sqs"));
      long patches = statusPatches(kube, client);
      long reads = jack.callsByOperation("sqs").getOrDefault("GetQueueAttributes", 0L);

      await("three resyncs")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  jack.callsByOperation("sqs").getOrDefault("GetQueueAttributes", 0L) >= reads + 3);
      assertThat(statusPatches(kube, client))
          .as("status writes during three resyncs that found nothing new")
          .isEqualTo(patches);

      queues.edit("quiet", spec -> spec.setVisibilityTimeout("45"));
      await("the change recorded")
          .atMost(Resources.TIMEOUT)
          .untilAsserted(
              () -> {
                Queue queue = queues.get("quiet");
                assertThat(queue.getStatus().getConditions())
                    .allMatch(
                        c -> queue.getMetadata().getGeneration().equals(c.getObservedGeneration()));
              });
      assertThat(statusPatches(kube, client)).as("a change is written").isGreaterThan(patches);
      queues.deleteAndWait("quiet");
    }
  }

  /** The PATCH requests to queues' status the API server has served, by its own metrics. */
  private static long statusPatches(KubeApiServer kube, KubernetesClient client) throws Exception {
    HttpClient http = client.getHttpClient();
    HttpResponse<String> metrics =
        http.sendAsync(
                http.newHttpRequestBuilder().uri(kube.url().resolve("/metrics")).build(),
                String.class)
            .get();
    assertThat(metrics.code()).as("the API server's metrics").isEqualTo(200);
    long total = 0;
    Matcher line = QUEUE_STATUS_PATCHES.matcher(metrics.body());
    while (line.find()) {
      total += (long) Double.parseDouble(line.group(2));
    }
    return total;
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What tools read off a resource's status: {@code Ready} as ACK sets it, {@code observedGeneration}
 * on every condition, the refresh a drift check answered, the pause annotation, and the gauge of
 * resource states.
 */
@JackIntegrationTest
class StatusConventionsIT {

  private static RunningController controller;
  private static SqsClient sqs;

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
    sqs = moto.configure(SqsClient.builder()).build();
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller, sqs);
  }

  @Test
  void conditionsCarryTheGenerationAndARefreshIsAnsweredVisibly(
      KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create("observed", spec -> spec.setQueueName("observed-" + ns.name()));
    queues.waitFor("observed", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(generations(queues.get("observed"))).containsOnly(generation(queues, "observed"));

    queues.edit("observed", spec -> spec.setVisibilityTimeout("40"));
    await()
        .atMost(Resources.TIMEOUT)
        .untilAsserted(
            () -> {
              Queue queue = queues.get("observed");
              assertThat(queue.getMetadata().getGeneration()).isGreaterThan(1);
              assertThat(generations(queue)).containsOnly(queue.getMetadata().getGeneration());
            });

    Map<String, Long> before = controller.callsByOperation("sqs");
    queues.annotate("observed", AwsResourceReconciler.REFRESH_ANNOTATION, "check-42");
    await()
        .atMost(Resources.TIMEOUT)
        .until(
            () ->
                "check-42"
                    .equals(
                        message(
                            queues.get("observed"), AwsResourceReconciler.REFRESHED_CONDITION)));
    assertThat(Resources.reads(Resources.difference(before, controller.callsByOperation("sqs"))))
        .as("the drift check read AWS")
        .isPositive();
    assertThat(controller.scrapeMetrics())
        .contains(
            "jack_resources{kind=\"Queue\",namespace=\"" + ns.name() + "\",state=\"synced\"} 1.0");
    queues.deleteAndWait("observed");
  }

  @Test
  void aPausedResourceCallsNothingNotEvenToDelete(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "paused-" + ns.name();
    queues.create(
        "paused",
        spec -> {
          spec.setQueueName(name);
          spec.setVisibilityTimeout("30");
        });
    queues.waitFor("paused", AckCondition.RESOURCE_SYNCED, "True");
    String url = queues.get("paused").getStatus().getQueueURL();

    queues.annotate("paused", AwsResourceReconciler.PAUSE_ANNOTATION, "true");
    queues.waitFor("paused", AwsResourceReconciler.PAUSED_CONDITION, "True");
    Map<String, Long> before = Resources.settled(() -> controller.callsByOperation("sqs"));
    queues.edit("paused", spec -> spec.setVisibilityTimeout("90"));
    client.resources(Queue.class).inNamespace(ns.name()).withName("paused").delete();
    await()
        .atMost(Resources.TIMEOUT)
        .until(
            () ->
                queues
                    .get("paused")
                    .getMetadata()
                    .getGeneration()
                    .equals(observed(queues.get("paused"))));
    assertThat(
            Resources.difference(
                before, Resources.settled(() -> controller.callsByOperation("sqs"))))
        .as("calls while paused")
        .isEmpty();
    assertThat(queues.get("paused")).as("the delete waits").isNotNull();
    assertThat(attribute(url)).isEqualTo("30");
    assertThat(controller.scrapeMetrics())
        .contains(
            "jack_resources{kind=\"Queue\",namespace=\"" + ns.name() + "\",state=\"paused\"} 1.0");

    queues.annotate("paused", AwsResourceReconciler.PAUSE_ANNOTATION, null);
    await().atMost(Resources.TIMEOUT).until(() -> queues.get("paused") == null);
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).isEmpty();
  }

  @Test
  void readyCarriesTheReasonOfATerminalResource(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create(
        "terminal",
        spec -> spec.setQueueName("terminal-" + ns.name()),
        Map.of(AwsResourceReconciler.RESYNC_ANNOTATION, "often"));
    GenericKubernetesResource terminal = queues.waitFor("terminal", AckCondition.TERMINAL, "True");
    assertThat(condition(terminal, AckCondition.READY))
        .containsEntry("status", "False")
        .containsEntry("reason", AckCondition.TERMINAL);
    queues.deleteAndWait("terminal");
  }

  private static List<Long> generations(Queue queue) {
    return queue.getStatus().getConditions().stream().map(c -> c.getObservedGeneration()).toList();
  }

  private static Long observed(Queue queue) {
    return queue.getStatus().getConditions().stream()
        .filter(c -> AwsResourceReconciler.PAUSED_CONDITION.equals(c.getType()))
        .map(c -> c.getObservedGeneration())
        .findFirst()
        .orElse(null);
  }

  private static long generation(Resources<Queue, QueueSpec> queues, String name) {
    return queues.get(name).getMetadata().getGeneration();
  }

  private static String message(Queue queue, String type) {
    return queue.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse(null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> condition(GenericKubernetesResource resource, String type) {
    Map<String, Object> status =
        (Map<String, Object>) resource.getAdditionalProperties().get("status");
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(c -> type.equals(c.get("type"))).findFirst().orElseThrow();
  }

  private static String attribute(String url) {
    return sqs.getQueueAttributes(
            b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
        .attributes()
        .get(QueueAttributeName.VISIBILITY_TIMEOUT);
  }

  private static Resources<Queue, QueueSpec> queues(KubernetesClient client, TestNamespace ns) {
    return new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
  }
}

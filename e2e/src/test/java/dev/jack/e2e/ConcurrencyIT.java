package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.sns.v1alpha1.Topic;
import dev.jack.services.sns.v1alpha1.TopicSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code --reconcile-resource-max-concurrent-syncs}: each kind reconciles at most its own number of
 * resources at once, and a kind whose AWS calls hang holds no other kind up. A proxy between jack
 * and moto holds every CreateQueue, so the queues' slots stay taken while the test looks.
 */
@JackIntegrationTest
class ConcurrencyIT {

  private static AwsProxy proxy;
  private static RunningController controller;

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    proxy = AwsProxy.start(moto.endpoint());
    controller =
        RunningController.start(
            kube,
            proxy.endpoint(),
            settings ->
                settings.maxConcurrentSyncs(1).maxConcurrentSyncsByKind(Map.of("Queue", 2)));
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller, proxy);
  }

  @Test
  void aKindKeepsToItsShareAndAHangingKindHoldsNoOtherUp(
      KubernetesClient client, TestNamespace ns, MotoServer moto) throws Exception {
    Predicate<AwsProxy.Call> createQueue = call -> "CreateQueue".equals(call.operation());
    AwsProxy.Gate creates = proxy.hold(createQueue);
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    for (int i = 1; i <= 5; i++) {
      String name = "q" + i + "-" + ns.name();
      queues.create("q" + i, spec -> spec.setQueueName(name));
    }
    assertThat(creates.awaitArrival(Duration.ofSeconds(60))).as("a CreateQueue came").isTrue();
    await().atMost(Resources.TIMEOUT).until(() -> creates.held() == 2);

    // SNS has its own share: its Topic is created while both Queue slots hang.
    Resources<Topic, TopicSpec> topics =
        new Resources<>(client, ns, Topic.class, Topic::new, TopicSpec::new);
    topics.create("beside", spec -> spec.setName("beside-" + ns.name()));
    topics.waitFor("beside", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(creates.held()).as("still at most 2 queues at once").isEqualTo(2);
    assertThat(proxy.count(createQueue)).as("no third create started").isEqualTo(2);

    creates.release();
    // The waiting queues are woken as slots free, well before the 30 s safety net would.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> java.util.stream.IntStream.rangeClosed(1, 5).allMatch(i -> synced(queues, i)));
    assertThat(proxy.count(createQueue)).as("one create per queue").isEqualTo(5);
    try (SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      assertThat(sqs.listQueues(b -> b.queueNamePrefix("q")).queueUrls())
          .filteredOn(url -> url.endsWith("-" + ns.name()))
          .hasSize(5);
    }
  }

  private static boolean synced(Resources<Queue, QueueSpec> queues, int i) {
    Queue queue = queues.get("q" + i);
    return queue.getStatus() != null
        && queue.getStatus().getConditions() != null
        && queue.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    c.getType().equals(AckCondition.RESOURCE_SYNCED)
                        && c.getStatus().equals("True"));
  }
}

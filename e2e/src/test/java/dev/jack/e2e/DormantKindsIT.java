package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.api.AckCondition;
import dev.jack.services.sns.v1alpha1.Topic;
import dev.jack.services.sns.v1alpha1.TopicSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A process serving every service runs a kind's controller only once the kind has a resource: the
 * kinds with resources when it starts are reconciled at once, a kind whose first resource appears
 * later is started then, and the others wait, as {@code jack_kind_controllers} shows.
 */
@JackIntegrationTest
class DormantKindsIT {

  @Test
  void aKindsControllerStartsWithItsFirstResource(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    Resources<Topic, TopicSpec> topics =
        new Resources<>(client, ns, Topic.class, Topic::new, TopicSpec::new);
    RunningController.installCrds(client);
    String queueName = "before-start-" + ns.name();
    queues.create("before-start", spec -> spec.setQueueName(queueName));

    try (RunningController controller = watching(kube, moto, ns);
        SqsClient sqs = moto.configure(SqsClient.builder()).build();
        SnsClient sns = moto.configure(SnsClient.builder()).build()) {
      // Started with the process: the Queue that existed before it.
      long kinds = RunningController.everyKind();
      assertThat(kindControllers(controller, "started")).isEqualTo(1);
      assertThat(kindControllers(controller, "dormant")).isEqualTo(kinds - 1);
      queues.waitFor("before-start", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl()).isNotBlank();
      assertThat(controller.calls("sns", "CreateTopic")).isZero();

      // A kind with no resource until now: its controller starts, the Topic syncs.
      String topicName = "first-topic-" + ns.name();
      topics.create("first", spec -> spec.setName(topicName));
      topics.waitFor("first", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(sns.listTopics().topics())
          .anyMatch(topic -> topic.topicArn().endsWith(":" + topicName));
      assertThat(kindControllers(controller, "started")).isEqualTo(2);
      assertThat(kindControllers(controller, "dormant")).isEqualTo(kinds - 2);

      // Started once: the kind's later resources are its controller's at once.
      String secondName = "second-topic-" + ns.name();
      topics.create("second", spec -> spec.setName(secondName));
      topics.waitFor("second", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(kindControllers(controller, "started")).isEqualTo(2);

      topics.deleteAndWait("first");
      topics.deleteAndWait("second");
      queues.deleteAndWait("before-start");
    }
  }

  /**
   * A kind that has resources when the process starts is known to have them from one of them: the
   * API server sends the kind's resources once, to its controller's informer, and not a second time
   * to the dormant kind's watch (which, as an informer, listed them all and kept them until the
   * controller started).
   */
  @Test
  void aKindWithResourcesAtStartIsListedOnce(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    RunningController.installCrds(client);
    // Large objects, so that a list of them stands out from the other answers: 8 KB each.
    Map<String, String> padding = Map.of("test.jack.dev/padding", "x".repeat(8000));
    int count = 20;
    for (int i = 0; i < count; i++) {
      String name = "listed-" + i;
      queues.create(name, spec -> spec.setQueueName(name + "-" + ns.name()), padding);
    }
    double before = listedBytes(client, "queues");
    // One list of them all, as the controller's informer makes.
    assertThat(client.resources(Queue.class).inNamespace(ns.name()).list().getItems())
        .hasSize(count);
    double oneList = listedBytes(client, "queues") - before;
    assertThat(oneList).isGreaterThan(count * 8000.0);

    try (RunningController controller = watching(kube, moto, ns)) {
      for (int i = 0; i < count; i++) {
        queues.waitFor("listed-" + i, AckCondition.RESOURCE_SYNCED, "True");
      }
      double jacks = listedBytes(client, "queues") - before - oneList;
      // Its controller's list, and a list of at most one Queue: not two lists of them all.
      assertThat(jacks).isBetween(0.5 * oneList, 1.5 * oneList);
      for (int i = 0; i < count; i++) {
        queues.deleteAndWait("listed-" + i);
      }
    }
  }

  /**
   * The API server restarts while a kind is dormant: the API server's watch cache starts again from
   * etcd's current version, so the dormant watch's version is too old for it (410 Gone) and the
   * kind's resources are listed again. A resource created afterwards still starts the kind.
   */
  @Test
  void aDormantKindWakesAfterTheApiServerRestarted(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    Resources<Topic, TopicSpec> topics =
        new Resources<>(client, ns, Topic.class, Topic::new, TopicSpec::new);
    RunningController.installCrds(client);
    try (RunningController controller = watching(kube, moto, ns);
        SnsClient sns = moto.configure(SnsClient.builder()).build()) {
      long kinds = RunningController.everyKind();
      assertThat(kindControllers(controller, "dormant")).isEqualTo(kinds);
      kube.restart(Duration.ofSeconds(2));

      String topicName = "after-restart-" + ns.name();
      topics.create("after-restart", spec -> spec.setName(topicName));
      topics.waitFor("after-restart", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(sns.listTopics().topics())
          .anyMatch(topic -> topic.topicArn().endsWith(":" + topicName));
      assertThat(kindControllers(controller, "started")).isEqualTo(1);
      topics.deleteAndWait("after-restart");
    }
  }

  /** jack with every service, watching the test's namespace alone. */
  private static RunningController watching(KubeApiServer kube, MotoServer moto, TestNamespace ns) {
    return RunningController.start(kube, moto, flags -> flags.watchNamespaces(Set.of(ns.name())));
  }

  private static final Pattern LIST_SIZES =
      Pattern.compile("^apiserver_response_sizes_sum\\{([^}]*)\\} ([0-9.e+]+)$", Pattern.MULTILINE);

  /** The bytes of the API server's answers to lists of {@code resource} so far. */
  private static double listedBytes(KubernetesClient client, String resource) {
    double bytes = 0;
    Matcher m = LIST_SIZES.matcher(client.raw("/metrics"));
    while (m.find()) {
      if (m.group(1).contains("resource=\"" + resource + "\"")
          && m.group(1).contains("verb=\"LIST\"")) {
        bytes += Double.parseDouble(m.group(2));
      }
    }
    return bytes;
  }

  private static long kindControllers(RunningController controller, String state) {
    for (String line : controller.scrapeMetrics().split("\n")) {
      if (line.startsWith("jack_kind_controllers{") && line.contains("state=\"" + state + "\"")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no jack_kind_controllers{state=\"" + state + "\"} in /metrics");
  }
}

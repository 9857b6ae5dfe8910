package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.ResourceTags;
import dev.jack.services.sns.v1alpha1.Topic;
import dev.jack.services.sns.v1alpha1.TopicSpec;
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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The flags that decide what a controller reconciles and how it tags what it creates, as ACK's Helm
 * chart passes them: {@code --watch-selectors}, {@code --reconcile-resources} and {@code
 * --resource-tags}, against the real API server and moto.
 */
@JackIntegrationTest
class ControllerScopeIT {

  @Test
  void onlyResourcesTheSelectorMatchesOfTheKindsNamedAreReconciledAndTaggedAsConfigured(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    Resources<Topic, TopicSpec> topics =
        new Resources<>(client, ns, Topic.class, Topic::new, TopicSpec::new);
    try (RunningController controller =
            RunningController.start(
                kube,
                moto,
                flags ->
                    flags
                        .watchSelector("team in (payments),!legacy")
                        .reconcileResources(List.of("Queue"))
                        .resourceTags(
                            ResourceTags.parse(
                                "cost-center=%K8S_NAMESPACE%/%K8S_RESOURCE_NAME%,"
                                    + "managed-by=jack-%CONTROLLER_SERVICE%")));
        SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      String name = "scoped-" + ns.name();
      queues.create("selected", spec -> spec.setQueueName(name));
      labels(client, ns, "selected", Map.of("team", "payments"));
      queues.create("other-team", spec -> spec.setQueueName("other-" + ns.name()));
      labels(client, ns, "other-team", Map.of("team", "search"));
      queues.create("legacy", spec -> spec.setQueueName("legacy-" + ns.name()));
      labels(client, ns, "legacy", Map.of("team", "payments", "legacy", "yes"));
      topics.create("topic", spec -> spec.setName("topic-" + ns.name()));

      queues.waitFor("selected", AckCondition.RESOURCE_SYNCED, "True");
      String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
      assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags())
          .containsEntry("cost-center", ns.name() + "/selected")
          .containsEntry("managed-by", "jack-sqs")
          .doesNotContainKey("services.k8s.aws/namespace");

      // What the selector or the kinds leave out is never looked at.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  queues.get("other-team").getStatus() == null
                      && queues.get("legacy").getStatus() == null
                      && topics.get("topic").getStatus() == null);
      assertThat(sqs.listQueues(b -> b.queueNamePrefix("other-" + ns.name())).queueUrls())
          .isEmpty();
      assertThat(controller.calls("sns", "CreateTopic")).isZero();
      queues.deleteAndWait("selected");
    }
  }

  /** A namespace's {@code services.k8s.aws/endpoint-url} sends its resources' calls there. */
  @Test
  void aNamespacesEndpointUrlCarriesItsResourcesCalls(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    try (dev.jack.testenv.AwsProxy proxy = dev.jack.testenv.AwsProxy.start(moto.endpoint());
        RunningController controller = RunningController.start(kube, moto, flags -> {})) {
      client
          .namespaces()
          .withName(ns.name())
          .edit(
              n -> {
                n.getMetadata()
                    .setAnnotations(
                        new java.util.HashMap<>(
                            Map.of("services.k8s.aws/endpoint-url", proxy.endpoint().toString())));
                return n;
              });
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("proxied", spec -> spec.setQueueName("proxied-" + ns.name()));
      queues.waitFor("proxied", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(proxy.calls())
          .as("calls through the namespace's endpoint")
          .anyMatch(c -> c.operation().equals("CreateQueue"));
      queues.deleteAndWait("proxied");
      assertThat(proxy.calls()).anyMatch(c -> c.operation().equals("DeleteQueue"));
    }
  }

  /**
   * A reference into another namespace is Terminal, naming {@code --enable-cross-namespace}, unless
   * the controller runs with it; then it resolves, with ACK's ACK.Advisory notice.
   */
  @Test
  void aReferenceIntoAnotherNamespaceNeedsTheOptIn(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    // The Topic exists before the controller starts: its CRD must be there, whichever test ran
    // before this one (the API server is shared by the test run).
    RunningController.installCrds(client);
    String topics = "topics-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(topics)
                .endMetadata()
                .build())
        .create();
    TopicSpec topicSpec = new TopicSpec();
    topicSpec.setName("shared-" + ns.name());
    Topic topic = new Topic();
    topic.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("shared")
            .withNamespace(topics)
            .build());
    topic.setSpec(topicSpec);
    client.resources(Topic.class).inNamespace(topics).resource(topic).create();
    Resources<
            dev.jack.services.sns.v1alpha1.Subscription,
            dev.jack.services.sns.v1alpha1.SubscriptionSpec>
        subscriptions =
            new Resources<>(
                client,
                ns,
                dev.jack.services.sns.v1alpha1.Subscription.class,
                dev.jack.services.sns.v1alpha1.Subscription::new,
                dev.jack.services.sns.v1alpha1.SubscriptionSpec::new);
    dev.jack.api.ResourceReference ref = new dev.jack.api.ResourceReference();
    dev.jack.api.ResourceReference.Target from = new dev.jack.api.ResourceReference.Target();
    from.setName("shared");
    from.setNamespace(topics);
    ref.setFrom(from);

    try (SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      sqs.createQueue(b -> b.queueName("across-" + ns.name()));
    }
    try (RunningController controller = RunningController.start(kube, moto, flags -> {})) {
      new dev.jack.testenv.ConditionWait(client)
          .until(
              "sns.services.k8s.aws/v1alpha1",
              "Topic",
              topics,
              "shared",
              AckCondition.RESOURCE_SYNCED,
              "True",
              Resources.TIMEOUT);
      subscriptions.create(
          "across",
          spec -> {
            spec.setProtocol("sqs");
            spec.setEndpoint("arn:aws:sqs:us-east-1:123456789012:across-" + ns.name());
            spec.setTopicRef(ref);
          });
      GenericKubernetesResource terminal =
          subscriptions.waitFor("across", AckCondition.TERMINAL, "True");
      assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
          .contains("in namespace " + topics)
          .contains("--enable-cross-namespace=true");
      assertThat(controller.calls("sns", "Subscribe")).isZero();
    }
    try (RunningController controller =
        RunningController.start(kube, moto, flags -> flags.crossNamespace(true))) {
      GenericKubernetesResource synced =
          subscriptions.waitFor("across", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(Resources.conditionMessage(synced, AckCondition.ADVISORY))
          .contains("Topic " + topics + "/shared")
          .contains("--enable-cross-namespace");
      assertThat(controller.calls("sns", "Subscribe")).isEqualTo(1);
      subscriptions.deleteAndWait("across");
      client.resources(Topic.class).inNamespace(topics).withName("shared").delete();
      await()
          .atMost(Resources.TIMEOUT)
          .until(
              () ->
                  client.resources(Topic.class).inNamespace(topics).withName("shared").get()
                      == null);
    }
  }

  @Test
  void aSelectorTheApiServerRejectsStopsTheStartWithItsReason(KubeApiServer kube, MotoServer moto) {
    assertThatThrownBy(
            () -> RunningController.start(kube, moto, flags -> flags.watchSelector("team in (a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--watch-selectors: the API server rejects 'team in (a'");
  }

  private static void labels(
      KubernetesClient client, TestNamespace ns, String name, Map<String, String> labels) {
    client
        .resources(Queue.class)
        .inNamespace(ns.name())
        .withName(name)
        .edit(
            q -> {
              q.getMetadata().setLabels(new java.util.HashMap<>(labels));
              return q;
            });
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.sns.v1alpha1.Topic;
import dev.jack.services.sns.v1alpha1.TopicSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWS throttles: a proxy between jack and moto answers the first creates of a queue, a topic and a
 * bucket with each protocol's own throttling error (JSON's ThrottlingException, the query
 * protocol's Throttling, S3's 503 SlowDown). Each resource says so, is retried by jack alone (the
 * SDK retries nothing behind its back) and ends synced, and the service's rate limiter, unlimited
 * until then, now holds a rate.
 */
@JackIntegrationTest
class ThrottlingIT {

  private static AwsProxy proxy;
  private static RunningController controller;

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    proxy = AwsProxy.start(moto.endpoint());
    controller = RunningController.start(kube, proxy.endpoint(), settings -> {});
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller, proxy);
  }

  @Test
  void eachProtocolsThrottlingIsRetriedByJackAloneAndLimitsItsService(
      KubernetesClient client, TestNamespace ns) {
    Predicate<AwsProxy.Call> createQueue = call -> "CreateQueue".equals(call.operation());
    Predicate<AwsProxy.Call> createTopic = call -> "CreateTopic".equals(call.operation());
    Predicate<AwsProxy.Call> createBucket =
        call ->
            call.method().equals("PUT")
                && call.path().equals("/throttled-" + ns.name())
                && call.query() == null;
    proxy.throttle(createQueue, 3);
    proxy.throttle(createTopic, 2);
    proxy.throttle(createBucket, 2);
    assertThat(controller.metrics()).doesNotContain("jack_aws_rate_limit{account=\"123456789012\"");

    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    Resources<Topic, TopicSpec> topics =
        new Resources<>(client, ns, Topic.class, Topic::new, TopicSpec::new);
    Resources<Bucket, BucketSpec> buckets =
        new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
    queues.create("throttled", spec -> spec.setQueueName("throttled-" + ns.name()));
    topics.create("throttled", spec -> spec.setName("throttled-" + ns.name()));
    buckets.create("throttled", spec -> spec.setName("throttled-" + ns.name()));
    queues.waitFor("throttled", AckCondition.RESOURCE_SYNCED, "True");
    topics.waitFor("throttled", AckCondition.RESOURCE_SYNCED, "True");
    buckets.waitFor("throttled", AckCondition.RESOURCE_SYNCED, "True");

    // Every call the endpoint saw is one jack made: the SDK retried none of them.
    assertThat(proxy.count(createQueue))
        .isEqualTo(4)
        .isEqualTo(controller.calls("sqs", "CreateQueue"));
    assertThat(controller.errors("sqs", "CreateQueue")).isEqualTo(3);
    assertThat(proxy.count(createTopic))
        .isEqualTo(3)
        .isEqualTo(controller.calls("sns", "CreateTopic"));
    assertThat(controller.errors("sns", "CreateTopic")).isEqualTo(2);
    assertThat(proxy.count(createBucket))
        .isEqualTo(3)
        .isEqualTo(controller.calls("s3", "CreateBucket"));
    assertThat(controller.errors("s3", "CreateBucket")).isEqualTo(2);

    for (String service : List.of("sqs", "sns", "s3")) {
      assertThat(controller.rateLimit(service))
          .as("%s is limited since AWS throttled it", service)
          .isFinite()
          .isPositive();
    }
    // The throttling is reported, as a recoverable error.
    queues.awaitEvent(
        "throttled",
        "Recoverable throttling",
        e -> "Recoverable".equals(e.getReason()) && e.getMessage().contains("Rate exceeded"));
    // What was created under throttling converges like anything else.
    queues.convergesOnDriftCheck("throttled");
    topics.convergesOnDriftCheck("throttled");
    buckets.convergesOnDriftCheck("throttled");
  }

  /**
   * SQS throttles hard in one region (a call every five seconds) and not in another. The Queue kind
   * has one reconcile place (ACK's default), and the throttled region's Queues keep waiting for
   * their turns at that region's rate limiter: while they do, a Queue in the other region syncs as
   * soon as it would alone, because a reconcile that waits for its turn lends the kind's place.
   */
  @Test
  void aThrottledRegionHoldsUpNoneOfTheKindsResourcesElsewhere(
      KubernetesClient client, TestNamespace ns) throws Exception {
    AwsProxy.FaultRule storm =
        proxy.limitRate(
            call -> "sqs".equals(call.service()) && "us-west-2".equals(call.region()), 0.2);
    try {
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      int throttled = 8;
      for (int i = 0; i < throttled; i++) {
        String name = "west-" + i;
        queues.create(
            name,
            spec -> spec.setQueueName(name + "-" + ns.name()),
            Map.of(AwsResourceReconciler.REGION_ANNOTATION, "us-west-2"));
      }
      // jack has learnt the region's rate: below a call a second there.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Double rate = controller.rateLimitOrNull("sqs", "us-west-2");
                return rate != null && rate < 1;
              });
      assertThat(storm.injected()).isPositive();

      long start = System.nanoTime();
      queues.create(
          "elsewhere",
          spec -> spec.setQueueName("elsewhere-" + ns.name()),
          Map.of(AwsResourceReconciler.REGION_ANNOTATION, "eu-west-1"));
      queues.waitFor("elsewhere", AckCondition.RESOURCE_SYNCED, "True");
      Duration elsewhere = Duration.ofNanos(System.nanoTime() - start);

      // Measured while the throttled region's Queues still waited: at a call every five seconds
      // their creates take minutes.
      long westSynced =
          java.util.stream.IntStream.range(0, throttled)
              .mapToObj(i -> queues.generic("west-" + i))
              .filter(
                  queue ->
                      "True"
                          .equals(
                              ConditionWait.conditionStatus(queue, AckCondition.RESOURCE_SYNCED)))
              .count();
      assertThat(westSynced).as("throttled Queues synced meanwhile").isLessThan(throttled);
      assertThat(controller.rateLimitOrNull("sqs", "eu-west-1"))
          .as("SQS is not throttled in eu-west-1")
          .isInfinite();
      System.out.printf(
          "A Queue in eu-west-1 synced in %d ms while %d of %d Queues in throttled us-west-2 did%n",
          elsewhere.toMillis(), westSynced, throttled);
      assertThat(elsewhere).isLessThan(Duration.ofSeconds(5));
    } finally {
      storm.stop();
    }
  }
}

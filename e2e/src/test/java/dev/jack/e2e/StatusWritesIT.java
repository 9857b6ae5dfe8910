package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
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

  /**
   * The updates, patches and server-side applies of a resource (%s), its status among them; not the
   * create.
   */
  private static final Pattern WRITES =
      Pattern.compile(
          "apiserver_request_total\\{([^}]*resource=\"%s\"[^}]*verb=\"(?:APPLY|PATCH|PUT)\"[^}]*)}"
              + " ([0-9.e+]+)");

  private static final Pattern QUEUE_STATUS_PATCHES =
      Pattern.compile(
          "apiserver_request_total\\{([^}]*resource=\"queues\"[^}]*subresource=\"status\"[^}]*"
              + "verb=\"PATCH\"[^}]*)} ([0-9.e+]+)");

  /** Reads of one namespace, as a reconcile made them before jack watched the namespaces. */
  private static final Pattern NAMESPACE_READS =
      Pattern.compile(
          "apiserver_request_total\\{([^}]*resource=\"namespaces\"[^}]*verb=\"GET\"[^}]*)}"
              + " ([0-9.e+]+)");

  /**
   * The resyncs of a converged Queue write nothing to the API server, its status included, and read
   * its namespace from jack's informer, not from the API server; the create read it from the API
   * server (where the Queue is created is decided from the namespace as it is then). The Queue sets
   * none of the attributes jack late-initializes: the create's write of AWS's values into the spec
   * records them as jack's too, so that the first resync, which reads them from the spec, finds its
   * records as they are.
   */
  @Test
  void theResyncsOfAConvergedResourceWriteNothing(
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
      long namespaceReadsBefore = count(kube, client, NAMESPACE_READS, null);
      long writesBefore = count(kube, client, WRITES, "queues");
      queues.create("quiet", spec -> spec.setQueueName("quiet-" + ns.name()));
      queues.waitFor("quiet", AckCondition.RESOURCE_SYNCED, "True");
      Resources.settled(() -> jack.callsByOperation("sqs"));
      long patches = statusPatches(kube, client);
      long namespaceReads = count(kube, client, NAMESPACE_READS, null);
      assertThat(namespaceReads)
          .as("the create read the namespace from the API server")
          .isGreaterThan(namespaceReadsBefore);
      long reads = jack.callsByOperation("sqs").getOrDefault("GetQueueAttributes", 0L);

      await("three resyncs")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  jack.callsByOperation("sqs").getOrDefault("GetQueueAttributes", 0L) >= reads + 3);
      assertThat(queues.get("quiet").getSpec().getVisibilityTimeout())
          .as("AWS's default, late-initialized")
          .isEqualTo("30");
      assertThat(count(kube, client, WRITES, "queues") - writesBefore)
          .as(
              "jack's writes of the Queue: the create's three (see"
                  + " aCreateWritesABucketTwiceAndAQueueThreeTimes), then none during three"
                  + " resyncs that found nothing new")
          .isEqualTo(3);
      assertThat(count(kube, client, NAMESPACE_READS, null))
          .as("namespace reads from the API server during the three resyncs")
          .isEqualTo(namespaceReads);

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

  /**
   * A create writes a Bucket twice, as ACK's controller does: before the create call, one patch
   * with jack's finalizer, the claim on what it is about to create (region and account), what it
   * applies (the ownership annotation) and the identifiers another cluster would adopt it with (its
   * name); then the status that says Synced. A Queue once more: it is adopted by the URL AWS
   * assigns (its record, {@code jack.dev/adoption-fields}, is written once AWS has answered). A
   * kind that a read finds by name again needs no write of the identifiers between the create and
   * that status.
   */
  @Test
  void aCreateWritesABucketTwiceAndAQueueThreeTimes(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    try (RunningController jack =
        RunningController.start(
            kube, moto, settings -> settings.watchNamespaces(List.of(ns.name())))) {
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      Resources<Bucket, BucketSpec> buckets =
          new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
      long queueWrites = count(kube, client, WRITES, "queues");
      long bucketWrites = count(kube, client, WRITES, "buckets");
      queues.create("counted", spec -> spec.setQueueName("counted-" + ns.name()));
      buckets.create("counted", spec -> spec.setName("counted-" + ns.name()));
      queues.waitFor("counted", AckCondition.RESOURCE_SYNCED, "True");
      buckets.waitFor("counted", AckCondition.RESOURCE_SYNCED, "True");
      Resources.settled(() -> jack.callsByOperation("sqs"));
      Resources.settled(() -> jack.callsByOperation("s3"));
      assertThat(count(kube, client, WRITES, "queues") - queueWrites)
          .as("jack's writes of a Queue it created, to Synced")
          .isEqualTo(3);
      assertThat(count(kube, client, WRITES, "buckets") - bucketWrites)
          .as("jack's writes of a Bucket it created, to Synced")
          .isEqualTo(2);
      queues.deleteAndWait("counted");
      buckets.deleteAndWait("counted");
    }
  }

  /** The PATCH requests to queues' status the API server has served, by its own metrics. */
  private static long statusPatches(KubeApiServer kube, KubernetesClient client) throws Exception {
    return count(kube, client, QUEUE_STATUS_PATCHES, null);
  }

  /**
   * The requests the API server has served that match {@code requests} (with {@code %s}, the
   * resource, filled in), by its own metrics.
   */
  private static long count(
      KubeApiServer kube, KubernetesClient client, Pattern requests, String resource)
      throws Exception {
    HttpClient http = client.getHttpClient();
    HttpResponse<String> metrics =
        http.sendAsync(
                http.newHttpRequestBuilder().uri(kube.url().resolve("/metrics")).build(),
                String.class)
            .get();
    assertThat(metrics.code()).as("the API server's metrics").isEqualTo(200);
    Pattern pattern =
        resource == null ? requests : Pattern.compile(requests.pattern().formatted(resource));
    long total = 0;
    Matcher line = pattern.matcher(metrics.body());
    while (line.find()) {
      total += (long) Double.parseDouble(line.group(2));
    }
    return total;
  }
}

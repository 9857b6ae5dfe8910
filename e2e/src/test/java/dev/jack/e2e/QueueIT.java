package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ConditionWait;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The Queue kind end to end: the controller, the real API server and moto's SQS. */
@JackIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueIT {

  private static final String API_VERSION = "sqs.services.k8s.aws/v1alpha1";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static RunningController controller;
  private static SqsClient sqs;

  private static MotoServer motoServer;

  @BeforeAll
  static void startController(KubeApiServer kube, MotoServer moto) {
    motoServer = moto;
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
    sqs = moto.configure(SqsClient.builder()).build();
  }

  @AfterAll
  static void stopController() {
    if (controller != null) {
      controller.close();
    }
    if (sqs != null) {
      sqs.close();
    }
  }

  @Test
  @Order(1)
  void theExampleAppliesWithKubectlAndReachesSynced(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    ClusterCli.kubectl(kube).succeed("apply", "-n", ns.name(), "-f", "../examples/sqs/queue.yaml");

    GenericKubernetesResource synced =
        queues.waitFor("example-queue", AckCondition.RESOURCE_SYNCED, "True");

    String url = sqs.getQueueUrl(b -> b.queueName("jack-example-queue")).queueUrl();
    Map<String, String> attributes = attributes(url);
    assertThat(attributes)
        .containsEntry("DelaySeconds", "5")
        .containsEntry("VisibilityTimeout", "60");
    Map<String, String> tags = sqs.listQueueTags(b -> b.queueUrl(url)).tags();
    assertThat(tags)
        .containsEntry("team", "platform")
        .containsEntry("services.k8s.aws/namespace", ns.name())
        .containsKey("services.k8s.aws/controller-version");

    Queue queue = queues.get("example-queue");
    assertThat(queue.getMetadata().getFinalizers())
        .contains("finalizers.sqs.services.k8s.aws/Queue");
    assertThat(queue.getStatus().getQueueURL()).isEqualTo(url);
    assertThat(queue.getStatus().getQueueARN()).isEqualTo(attributes.get("QueueArn"));
    assertThat(queue.getStatus().getAckResourceMetadata().getArn())
        .isEqualTo(attributes.get("QueueArn"));
    assertThat(queue.getStatus().getAckResourceMetadata().getOwnerAccountID())
        .isEqualTo(MotoServer.ACCOUNT_ID);
    assertThat(queue.getStatus().getAckResourceMetadata().getRegion()).isEqualTo("us-east-1");
    assertThat(ConditionWait.conditionStatus(synced, AckCondition.READY)).isEqualTo("True");
    // AWS's defaults for settings the manifest left out are now in the spec.
    assertThat(queue.getSpec().getMaximumMessageSize())
        .isEqualTo(attributes.get("MaximumMessageSize"));
    queues.awaitEvent("example-queue", "Created");

    queues.deleteAndWait("example-queue");
    assertThat(queueExists("jack-example-queue")).isFalse();
  }

  @Test
  @Order(2)
  void aChangedSpecIsAppliedToTheQueue(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "updated-" + ns.name();
    queues.create(
        "updated",
        spec -> {
          spec.setQueueName(name);
          spec.setVisibilityTimeout("30");
          spec.setTags(Map.of("stage", "dev"));
        });
    queues.waitFor("updated", AckCondition.RESOURCE_SYNCED, "True");

    queues.edit(
        "updated",
        spec -> {
          spec.setVisibilityTimeout("45");
          spec.setDelaySeconds("7");
          spec.setPolicy(policy(name));
          spec.setTags(Map.of("stage", "prod"));
        });

    String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Map<String, String> attributes = attributes(url);
              assertThat(attributes)
                  .containsEntry("VisibilityTimeout", "45")
                  .containsEntry("DelaySeconds", "7");
              assertThat(attributes.get("Policy")).contains("sqs:SendMessage");
              assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags())
                  .containsEntry("stage", "prod");
            });
    queues.awaitEvent("updated", "Updated");
    queues.deleteAndWait("updated");
  }

  @Test
  @Order(3)
  void driftInAwsIsRepairedAtTheResync(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "drift-" + ns.name();
    queues.create(
        "drift",
        spec -> {
          spec.setQueueName(name);
          spec.setVisibilityTimeout("30");
        },
        Map.of(AwsResourceReconciler.RESYNC_ANNOTATION, "2"));
    queues.waitFor("drift", AckCondition.RESOURCE_SYNCED, "True");
    String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();

    sqs.setQueueAttributes(
        b -> b.queueUrl(url).attributesWithStrings(Map.of("VisibilityTimeout", "99")));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(attributes(url)).containsEntry("VisibilityTimeout", "30"));
    queues.deleteAndWait("drift");
  }

  /**
   * AWS omits FifoQueue for a standard queue: a spec that says {@code "false"} is what AWS has, and
   * must neither go terminal nor write at a drift check.
   */
  @Test
  @Order(3)
  void aStandardQueueThatSaysFifoFalseConverges(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "standard-" + ns.name();
    queues.create(
        "standard",
        spec -> {
          spec.setQueueName(name);
          spec.setFifoQueue("false");
        });
    queues.waitFor("standard", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(attributes(queues.get("standard").getStatus().getQueueURL()))
        .doesNotContainKey("FifoQueue");
    queues.convergesOnDriftCheck("standard");
    queues.deleteAndWait("standard");
  }

  @Test
  @Order(4)
  void theRetainPolicyKeepsTheQueue(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "retained-" + ns.name();
    queues.create(
        "retained",
        spec -> spec.setQueueName(name),
        Map.of("services.k8s.aws/deletion-policy", "retain"));
    queues.waitFor("retained", AckCondition.RESOURCE_SYNCED, "True");

    queues.deleteAndWait("retained");

    assertThat(queueExists(name)).isTrue();
  }

  @Test
  @Order(5)
  void settingAnImmutableFieldIsTerminalAndNamesTheField(
      KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "immutable-" + ns.name();
    queues.create("immutable", spec -> spec.setQueueName(name));
    queues.waitFor("immutable", AckCondition.RESOURCE_SYNCED, "True");

    queues.edit("immutable", spec -> spec.setFifoQueue("true"));

    GenericKubernetesResource terminal = queues.waitFor("immutable", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .as("ACK's message, then what to do")
        .startsWith("Immutable Spec fields have been modified: FifoQueue. ")
        .contains("spec.fifoQueue")
        .contains("cannot change");
    assertThat(ConditionWait.conditionStatus(terminal, AckCondition.RESOURCE_SYNCED))
        .isEqualTo("False");
    queues.awaitEvent("immutable", "Terminal");
    queues.deleteAndWait("immutable");
  }

  @Test
  @Order(6)
  void anInvalidValueIsTerminalWithAwsMessageAndCreatesNothing(
      KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "invalid-" + ns.name();
    queues.create(
        "invalid",
        spec -> {
          // Each value is one the CRD takes; together AWS refuses them (a FIFO queue's name ends
          // in .fifo).
          spec.setQueueName(name);
          spec.setFifoQueue("true");
        });

    GenericKubernetesResource terminal = queues.waitFor("invalid", AckCondition.TERMINAL, "True");

    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("InvalidParameterValue")
        .contains(".fifo");
    assertThat(queueExists(name)).isFalse();
    // The refused create created nothing: its claim is gone, so no queue of the name that someone
    // else creates meanwhile would pass for jack's.
    assertThat(queues.get("invalid").getStatus().getAckResourceMetadata()).isNull();
    long creates = controller.calls("sqs", "CreateQueue");
    // No retry loop: the call count stays put until the spec changes.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> controller.calls("sqs", "CreateQueue") == creates);

    // fifoQueue is immutable once set, but may be removed: a standard queue of the name.
    queues.edit("invalid", spec -> spec.setFifoQueue(null));
    queues.waitFor("invalid", AckCondition.RESOURCE_SYNCED, "True");
    queues.deleteAndWait("invalid");
  }

  @Test
  @Order(6)
  void aValueOutsideTheDocumentedRangeIsRejectedAtApplyNamingTheField(
      KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    long calls = controller.calls("sqs", "CreateQueue");
    assertThatThrownBy(
            () ->
                queues.create(
                    "out-of-range",
                    spec -> {
                      spec.setQueueName("out-of-range-" + ns.name());
                      spec.setMaximumMessageSize("1");
                    }))
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .hasMessageContaining("spec.maximumMessageSize")
        .hasMessageContaining("must be a whole number of bytes from 1,024 to 1,048,576");
    assertThat(controller.calls("sqs", "CreateQueue")).as("no call to AWS").isEqualTo(calls);
  }

  @Test
  @Order(8)
  void callsPerCreateResyncAndDelete(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "counted-" + ns.name();
    Map<String, Long> before = controller.callsByOperation("sqs");
    queues.create(
        "counted",
        spec -> {
          spec.setQueueName(name);
          spec.setVisibilityTimeout("30");
          spec.setTags(Map.of("team", "platform"));
        });
    queues.waitFor("counted", AckCondition.RESOURCE_SYNCED, "True");
    Map<String, Long> afterCreate = Resources.settled(() -> controller.callsByOperation("sqs"));

    // One on-demand drift check, as a resync makes it, which completes and updates nothing.
    queues.convergesOnDriftCheck("counted");
    Map<String, Long> afterResyncs = Resources.settled(() -> controller.callsByOperation("sqs"));

    queues.deleteAndWait("counted");
    Map<String, Long> afterDelete = controller.callsByOperation("sqs");

    Map<String, Long> create = Resources.difference(before, afterCreate);
    Map<String, Long> resyncs = Resources.difference(afterCreate, afterResyncs);
    Map<String, Long> delete = Resources.difference(afterResyncs, afterDelete);
    System.out.printf(
        "SQS Queue AWS calls: create %s; one resync %s; delete %s%n", create, resyncs, delete);
    assertThat(create).containsEntry("CreateQueue", 1L);
    assertThat(resyncs.keySet())
        .as("a resync of a converged queue only reads")
        .allMatch(op -> op.startsWith("Get") || op.startsWith("List"));
    assertThat(delete).containsEntry("DeleteQueue", 1L);
    // The figures docs/controller.md states: before the create, GetQueueUrl finds no queue of the
    // name (a foreign one would be reported, not taken over).
    assertThat(create)
        .isEqualTo(
            Map.of(
                "GetQueueUrl",
                1L,
                "CreateQueue",
                1L,
                "GetQueueAttributes",
                1L,
                "ListQueueTags",
                1L));
    assertThat(resyncs).isEqualTo(Map.of("GetQueueAttributes", 1L, "ListQueueTags", 1L));
    assertThat(delete).isEqualTo(Map.of("DeleteQueue", 1L, "GetQueueAttributes", 2L));
  }

  @Test
  @Order(8)
  void aRegionThatChangesUnderAQueueIsReportedNeverActedOn(
      KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "pinned-" + ns.name();
    queues.create("pinned", spec -> spec.setQueueName(name));
    queues.waitFor("pinned", AckCondition.RESOURCE_SYNCED, "True");
    String url = queues.get("pinned").getStatus().getQueueURL();

    queues.annotate("pinned", AwsResourceReconciler.REGION_ANNOTATION, "eu-west-1");
    GenericKubernetesResource terminal = queues.waitFor("pinned", AckCondition.TERMINAL, "True");
    assertThat(conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("lives in us-east-1")
        .contains("eu-west-1");
    try (SqsClient euWest =
        motoServer
            .configure(SqsClient.builder())
            .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
            .build()) {
      assertThat(euWest.listQueues(b -> b.queueNamePrefix(name)).queueUrls())
          .as("nothing is created in the new region")
          .isEmpty();
    }

    // Deleting it deletes the queue where it lives: nothing is orphaned.
    queues.deleteAndWait("pinned");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).doesNotContain(url);
  }

  @Test
  @Order(9)
  void anAwsOutageIsRecoverableAndHealsWhenAwsIsBack(
      KubernetesClient client, TestNamespace ns, MotoServer moto) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "outage-" + ns.name();
    moto.stop();
    try {
      queues.create("outage", spec -> spec.setQueueName(name));
      GenericKubernetesResource recoverable =
          queues.waitFor("outage", AckCondition.RECOVERABLE, "True");
      assertThat(ConditionWait.conditionStatus(recoverable, AckCondition.RESOURCE_SYNCED))
          .isEqualTo("False");
    } finally {
      moto.restart();
    }
    queues.waitFor("outage", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(queueExists(name)).isTrue();
    queues.deleteAndWait("outage");
  }

  @Test
  @Order(10)
  void aFifoQueueWithEveryAttributeConverges(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String suffix = ns.name().substring(ns.name().length() - 8);
    String deadLetters =
        sqs.createQueue(
                b ->
                    b.queueName("dlq-" + suffix + ".fifo")
                        .attributesWithStrings(Map.of("FifoQueue", "true")))
            .queueUrl();
    String deadLettersArn = attributes(deadLetters).get("QueueArn");
    String name = "fifo-" + suffix + ".fifo";
    queues.create(
        "fifo",
        spec -> {
          spec.setQueueName(name);
          spec.setFifoQueue("true");
          spec.setContentBasedDeduplication("true");
          spec.setDeduplicationScope("messageGroup");
          spec.setFifoThroughputLimit("perMessageGroupId");
          spec.setRedrivePolicy(
              "{\"deadLetterTargetArn\":\"" + deadLettersArn + "\",\"maxReceiveCount\":\"3\"}");
          spec.setKmsMasterKeyID("alias/aws/sqs");
          spec.setKmsDataKeyReusePeriodSeconds("300");
          spec.setReceiveMessageWaitTimeSeconds("10");
          spec.setMaximumMessageSize("2048");
          spec.setMessageRetentionPeriod("3600");
        });
    queues.waitFor("fifo", AckCondition.RESOURCE_SYNCED, "True");

    Map<String, String> attributes = attributes(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    assertThat(attributes)
        .containsEntry("FifoQueue", "true")
        .containsEntry("ContentBasedDeduplication", "true")
        .containsEntry("DeduplicationScope", "messageGroup")
        .containsEntry("FifoThroughputLimit", "perMessageGroupId")
        .containsEntry("KmsMasterKeyId", "alias/aws/sqs")
        .containsEntry("KmsDataKeyReusePeriodSeconds", "300")
        .containsEntry("ReceiveMessageWaitTimeSeconds", "10")
        .containsEntry("MaximumMessageSize", "2048")
        .containsEntry("MessageRetentionPeriod", "3600");
    assertThat(attributes.get("RedrivePolicy")).contains(deadLettersArn);

    // Converged: however AWS writes the policies back, a drift check writes nothing.
    // (redriveAllowPolicy is left out above: moto accepts it but never returns it.)
    Map<String, Long> before = controller.callsByOperation("sqs");
    // The drift check completes and updates nothing; its calls only read.
    queues.convergesOnDriftCheck("fifo");
    assertThat(
            Resources.difference(
                    before, Resources.settled(() -> controller.callsByOperation("sqs")))
                .keySet())
        .allMatch(Resources::isRead);
    queues.deleteAndWait("fifo");
  }

  @Test
  @Order(11)
  void metricsAndHealthAreServed() throws Exception {
    java.net.URI base = controller.serveOnFreePort();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    assertThat(get(http, base.resolve("/healthz"))).isEqualTo("200 ok");
    assertThat(get(http, base.resolve("/readyz"))).isEqualTo("200 ok");
    String metrics = get(http, base.resolve("/metrics"));
    assertThat(metrics)
        .startsWith("200 ")
        .contains(
            "ack_outbound_api_requests_total{op_id=\"CreateQueue\",op_type=\"CREATE\",service=\"sqs\"}")
        .contains(
            "ack_outbound_api_requests_error_total{op_id=\"CreateQueue\",service=\"sqs\",status_code=\"400\"}")
        .contains("jack_reconcile_duration_seconds_count{kind=\"Queue\",outcome=\"synced\"}");
  }

  @Test
  @Order(12)
  void aBadDeletionPolicyIsReportedAndTheFixedOneApplies(
      KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    String name = "policy-" + ns.name();
    queues.create("policy", spec -> spec.setQueueName(name));
    queues.waitFor("policy", AckCondition.RESOURCE_SYNCED, "True");
    String url = queues.get("policy").getStatus().getQueueURL();
    queues.annotate("policy", AwsResourceReconciler.DELETION_POLICY_ANNOTATION, "keep");

    client.resources(Queue.class).inNamespace(ns.name()).withName("policy").delete();
    GenericKubernetesResource terminal = queues.waitFor("policy", AckCondition.TERMINAL, "True");
    assertThat(conditionMessage(terminal, AckCondition.TERMINAL))
        .contains(AwsResourceReconciler.DELETION_POLICY_ANNOTATION)
        .contains("'delete' or 'retain', not 'keep'");
    queues.awaitEvent("policy", "DeleteFailed");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls())
        .as("nothing is deleted while the policy is unclear")
        .contains(url);

    // The fixed annotation is acted on at once, not at the next retry minutes later.
    queues.annotate("policy", AwsResourceReconciler.DELETION_POLICY_ANNOTATION, "delete");
    await().atMost(TIMEOUT).until(() -> queues.get("policy") == null);
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).doesNotContain(url);
  }

  @Test
  @Order(13)
  void aQueueCreatedBeforeACrashIsFoundByNameNotDuplicated(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    // As if the controller had claimed the queue (region and account in the status, written before
    // its create), created it and stopped before writing the URL: the claim says it is jack's, and
    // GetQueueUrl finds it by its name. Last in the class: it replaces the controller, and with it
    // the call counts the tests before assert.
    controller.close();
    String name = "crashed-" + ns.name();
    String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
    queues.create("crashed", spec -> spec.setQueueName(name));
    client
        .resources(Queue.class)
        .inNamespace(ns.name())
        .withName("crashed")
        .editStatus(
            q -> {
              dev.jack.api.AckResourceMetadata claim = new dev.jack.api.AckResourceMetadata();
              claim.setRegion("us-east-1");
              claim.setOwnerAccountID(MotoServer.ACCOUNT_ID);
              dev.jack.services.sqs.v1alpha1.QueueStatus status =
                  new dev.jack.services.sqs.v1alpha1.QueueStatus();
              status.setAckResourceMetadata(claim);
              q.setStatus(status);
              return q;
            });
    controller = RunningController.start(kube, motoServer, Duration.ofHours(10));

    queues.waitFor("crashed", AckCondition.RESOURCE_SYNCED, "True");

    assertThat(controller.calls("sqs", "CreateQueue")).isZero();
    assertThat(controller.calls("sqs", "GetQueueUrl")).isPositive();
    Queue queue = queues.get("crashed");
    assertThat(queue.getStatus().getQueueURL()).isEqualTo(url);
    assertThat(queue.getStatus().getAckResourceMetadata().getArn()).endsWith(":" + name);
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).containsExactly(url);
    // It is jack's: deleting the resource deletes the queue.
    queues.deleteAndWait("crashed");
    assertThat(queueExists(name)).isFalse();
  }

  private static String get(java.net.http.HttpClient http, java.net.URI uri) throws Exception {
    java.net.http.HttpResponse<String> response =
        http.send(
            java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  // --- helpers ---

  private static Resources<Queue, QueueSpec> queues(KubernetesClient client, TestNamespace ns) {
    return new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
  }

  private static String policy(String queueName) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:123456789012:"
        + queueName
        + "\"}]}";
  }

  private static Map<String, String> attributes(String url) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL))
        .attributesAsStrings();
  }

  private static boolean queueExists(String name) {
    try {
      sqs.getQueueUrl(b -> b.queueName(name));
      return true;
    } catch (SqsException e) {
      if (e.statusCode() == 400 && e.getMessage().contains("does not exist")) {
        return false;
      }
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static String conditionMessage(GenericKubernetesResource resource, String type) {
    Map<String, Object> status =
        (Map<String, Object>) resource.getAdditionalProperties().get("status");
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream()
            .filter(c -> type.equals(c.get("type")))
            .map(c -> String.valueOf(c.get("message")))
            .findFirst()
            .orElse(null);
  }
}

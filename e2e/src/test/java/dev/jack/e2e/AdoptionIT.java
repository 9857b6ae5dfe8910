package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.api.AckCondition;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.sns.v1alpha1.PlatformApplication;
import dev.jack.services.sns.v1alpha1.PlatformApplicationSpec;
import dev.jack.services.sns.v1alpha1.Topic;
import dev.jack.services.sns.v1alpha1.TopicSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What jack does with AWS resources it did not create (ACK's annotations): one that merely has the
 * same name is never written or deleted, also where AWS's create would answer with it (a queue, a
 * topic, found by name before the create); {@code adopt} takes AWS's values into the spec and
 * writes nothing; {@code adopt-or-create} applies the spec to what exists, or creates it; a
 * read-only resource is observed and never written, created or deleted.
 */
@JackIntegrationTest
class AdoptionIT {

  private static final String POLICY = "services.k8s.aws/adoption-policy";
  private static final String FIELDS = "services.k8s.aws/adoption-fields";
  private static final String ADOPTED = "services.k8s.aws/adopted";
  private static final String READ_ONLY = "services.k8s.aws/read-only";

  private static RunningController controller;
  private static S3Client s3;
  private static SqsClient sqs;
  private static SnsClient sns;

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
    s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
    sqs = moto.configure(SqsClient.builder()).build();
    sns = moto.configure(SnsClient.builder()).build();
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller, s3, sqs, sns);
  }

  @Test
  void aBucketOfTheSameNameIsReportedNeverWrittenNorDeleted(
      KubernetesClient client, TestNamespace ns) {
    String name = "foreign-" + ns.name();
    foreignBucket(name);
    Map<String, Long> before = controller.callsByOperation("s3");
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    buckets.create(
        "foreign",
        spec -> {
          spec.setName(name);
          spec.setTagging(tagging("team", "mine"));
        });

    GenericKubernetesResource terminal = buckets.waitFor("foreign", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("Resource already exists")
        .contains("jack did not create")
        .contains(POLICY);
    Map<String, Long> calls =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("s3")));
    assertThat(Resources.reads(calls)).as("the read that found it").isPositive();
    assertThat(calls.keySet()).as("calls: %s", calls).allMatch(Resources::isRead);
    assertThat(s3.getBucketTagging(b -> b.bucket(name)).tagSet())
        .extracting(Tag::key)
        .containsExactly("owner");

    buckets.deleteAndWait("foreign");
    assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(name));
  }

  /**
   * A manifest copied with jack's claim from another cluster or an earlier object (its annotation
   * names that object's UID) claims nothing: a bucket of the same name in AWS is still not jack's,
   * and is neither written nor deleted.
   */
  @Test
  void aClaimCopiedFromAnotherResourceClaimsNothing(KubernetesClient client, TestNamespace ns) {
    String name = "copied-" + ns.name();
    foreignBucket(name);
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    buckets.create(
        "copied",
        spec -> {
          spec.setName(name);
          spec.setTagging(tagging("team", "mine"));
        },
        Map.of(
            "jack.dev/claim",
            "{\"uid\":\"0b7c1d2e-0000-4000-8000-000000000000\",\"region\":\"us-east-1\","
                + "\"account\":\""
                + MotoServer.ACCOUNT_ID
                + "\"}"));

    GenericKubernetesResource terminal = buckets.waitFor("copied", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("Resource already exists")
        .contains("jack did not create");
    assertThat(s3.getBucketTagging(b -> b.bucket(name)).tagSet())
        .extracting(Tag::key)
        .containsExactly("owner");

    buckets.deleteAndWait("copied");
    assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(name));
  }

  @Test
  void aQueueOfTheSameNameIsFoundByNameReportedNeverWrittenNorDeleted(
      KubernetesClient client, TestNamespace ns) {
    // CreateQueue would answer with this queue: jack asks GetQueueUrl first.
    String name = "foreign-" + ns.name();
    String url = existingQueue(name, "45", Map.of("owner", "x"));
    Map<String, Long> before = controller.callsByOperation("sqs");
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create(
        "foreign",
        spec -> {
          spec.setQueueName(name);
          spec.setVisibilityTimeout("60");
          spec.setTags(Map.of("team", "mine"));
        });

    GenericKubernetesResource terminal = queues.waitFor("foreign", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("Resource already exists")
        .contains("arn:aws:sqs:us-east-1:" + MotoServer.ACCOUNT_ID + ":" + name)
        .contains("jack did not create")
        .contains(POLICY);
    Map<String, Long> calls =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("sqs")));
    assertThat(calls).as("calls: %s", calls).containsKey("GetQueueUrl");
    assertThat(calls.keySet()).as("calls: %s", calls).allMatch(Resources::isRead);
    assertThat(calls).doesNotContainKey("CreateQueue");
    assertThat(queues.get("foreign").getStatus().getAckResourceMetadata())
        .as("not claimed")
        .isNull();
    assertThat(attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("45");
    assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEqualTo(Map.of("owner", "x"));

    queues.deleteAndWait("foreign");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).containsExactly(url);
    assertThat(attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("45");
  }

  @Test
  void aTopicOfTheSameNameIsFoundByItsArnReportedNeverWrittenNorDeleted(
      KubernetesClient client, TestNamespace ns) {
    // CreateTopic would answer with this topic: jack reads the ARN the name makes first.
    String name = "foreign-" + ns.name();
    String arn =
        sns.createTopic(
                b ->
                    b.name(name)
                        .attributes(Map.of("DisplayName", "theirs"))
                        .tags(
                            software.amazon.awssdk.services.sns.model.Tag.builder()
                                .key("owner")
                                .value("x")
                                .build()))
            .topicArn();
    Map<String, Long> before = controller.callsByOperation("sns");
    Resources<Topic, TopicSpec> topics =
        new Resources<>(client, ns, Topic.class, Topic::new, TopicSpec::new);
    topics.create(
        "foreign",
        spec -> {
          spec.setName(name);
          spec.setDisplayName("mine");
          dev.jack.services.sns.v1alpha1.Tag tag = new dev.jack.services.sns.v1alpha1.Tag();
          tag.setKey("team");
          tag.setValue("mine");
          spec.setTags(List.of(tag));
        });

    GenericKubernetesResource terminal = topics.waitFor("foreign", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("Resource already exists")
        .contains(arn)
        .contains("jack did not create");
    Map<String, Long> calls =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("sns")));
    assertThat(calls).as("calls: %s", calls).containsKey("GetTopicAttributes");
    assertThat(calls.keySet()).as("calls: %s", calls).allMatch(Resources::isRead);
    assertThat(calls).doesNotContainKey("CreateTopic");
    assertThat(topics.get("foreign").getStatus().getAckResourceMetadata()).isNull();
    assertThat(sns.getTopicAttributes(b -> b.topicArn(arn)).attributes())
        .containsEntry("DisplayName", "theirs");
    assertThat(sns.listTagsForResource(b -> b.resourceArn(arn)).tags())
        .extracting(software.amazon.awssdk.services.sns.model.Tag::key)
        .containsExactly("owner");

    topics.deleteAndWait("foreign");
    assertThat(sns.getTopicAttributes(b -> b.topicArn(arn)).attributes())
        .as("the topic is still there")
        .containsEntry("DisplayName", "theirs");
  }

  @Test
  void aPlatformApplicationOfTheSameNameIsReportedNotReplaced(
      KubernetesClient client, TestNamespace ns) {
    String name = "foreign-" + ns.name();
    String arn =
        sns.createPlatformApplication(
                b ->
                    b.name(name).platform("GCM").attributes(Map.of("PlatformCredential", "theirs")))
            .platformApplicationArn();
    Resources<PlatformApplication, PlatformApplicationSpec> applications =
        new Resources<>(
            client,
            ns,
            PlatformApplication.class,
            PlatformApplication::new,
            PlatformApplicationSpec::new);
    applications.create(
        "foreign",
        spec -> {
          spec.setName(name);
          spec.setPlatform("GCM");
          spec.setPlatformCredential("mine");
          spec.setSuccessFeedbackSampleRate("50");
        });

    GenericKubernetesResource terminal =
        applications.waitFor("foreign", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("Resource already exists")
        .contains(arn);
    assertThat(controller.calls("sns", "CreatePlatformApplication")).isZero();
    assertThat(
            sns.getPlatformApplicationAttributes(b -> b.platformApplicationArn(arn)).attributes())
        .doesNotContainKey("SuccessFeedbackSampleRate");

    applications.deleteAndWait("foreign");
    assertThat(sns.getPlatformApplicationAttributes(b -> b.platformApplicationArn(arn)))
        .as("the application is still there")
        .isNotNull();
  }

  @Test
  void adoptFindsAQueueByItsNameWithoutAdoptionFields(KubernetesClient client, TestNamespace ns) {
    String name = "by-name-" + ns.name();
    String url = existingQueue(name, "45", Map.of("owner", "legacy"));
    Map<String, Long> before = controller.callsByOperation("sqs");
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create("by-name", spec -> spec.setQueueName(name), Map.of(POLICY, "adopt"));

    queues.waitFor("by-name", AckCondition.RESOURCE_SYNCED, "True");
    Queue adopted = queues.get("by-name");
    assertThat(adopted.getMetadata().getAnnotations()).containsEntry(ADOPTED, "true");
    assertThat(adopted.getStatus().getQueueURL()).as("found by its name").isEqualTo(url);
    assertThat(adopted.getSpec().getVisibilityTimeout()).isEqualTo("45");
    assertThat(adopted.getSpec().getTags()).containsEntry("owner", "legacy");
    assertThat(adopted.getStatus().getAckResourceMetadata().getArn()).endsWith(":" + name);
    Map<String, Long> calls =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("sqs")));
    assertThat(calls).as("calls: %s", calls).containsKey("GetQueueUrl");
    assertThat(calls.keySet()).as("calls: %s", calls).allMatch(Resources::isRead);

    queues.deleteAndWait("by-name");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).isEmpty();
  }

  @Test
  void adoptTakesAwsValuesIntoTheSpecWritesNothingThenManagesIt(
      KubernetesClient client, TestNamespace ns) {
    String name = "adopt-" + ns.name();
    String url = existingQueue(name, "45", Map.of("owner", "legacy"));
    Map<String, Long> before = controller.callsByOperation("sqs");
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create(
        "adopted",
        spec -> spec.setQueueName(name),
        Map.of(POLICY, "adopt", FIELDS, "{\"queueURL\": \"" + url + "\"}"));

    queues.waitFor("adopted", AckCondition.RESOURCE_SYNCED, "True");
    Queue adopted = queues.get("adopted");
    assertThat(adopted.getMetadata().getAnnotations()).containsEntry(ADOPTED, "true");
    assertThat(adopted.getSpec().getVisibilityTimeout()).as("taken from AWS").isEqualTo("45");
    assertThat(adopted.getSpec().getTags()).containsEntry("owner", "legacy");
    assertThat(adopted.getStatus().getQueueURL()).isEqualTo(url);
    assertThat(adopted.getStatus().getAckResourceMetadata().getArn()).endsWith(":" + name);
    assertThat(adopted.getStatus().getConditions())
        .anyMatch(c -> c.getType().equals(AckCondition.ADOPTED) && c.getStatus().equals("True"));
    queues.awaitEvent("adopted", "Adopted");
    Map<String, Long> calls =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("sqs")));
    assertThat(calls.keySet()).as("calls: %s", calls).allMatch(Resources::isRead);

    // Adopted, it is jack's: a spec change is applied, and deleting it deletes the queue.
    queues.edit("adopted", spec -> spec.setVisibilityTimeout("50"));
    await()
        .atMost(Resources.TIMEOUT)
        .until(() -> "50".equals(attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT)));
    queues.deleteAndWait("adopted");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).isEmpty();
  }

  @Test
  void adoptingWhatDoesNotExistSaysSoAndCreatesNothing(KubernetesClient client, TestNamespace ns) {
    String name = "missing-" + ns.name();
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create(
        "missing",
        spec -> spec.setQueueName(name),
        Map.of(
            POLICY,
            "adopt",
            FIELDS,
            "{\"queueURL\": \"" + MotoServer.ACCOUNT_ID + "/" + name + "\"}"));

    GenericKubernetesResource terminal = queues.waitFor("missing", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("adoption policy is adopt, but AWS has no such Queue");
    assertThat(controller.calls("sqs", "CreateQueue")).isZero();

    // A bad policy names itself.
    Resources<Queue, QueueSpec> typo = queues(client, ns);
    typo.create("typo", spec -> spec.setQueueName(name), Map.of(POLICY, "adopt-please"));
    assertThat(
            Resources.conditionMessage(
                typo.waitFor("typo", AckCondition.TERMINAL, "True"), AckCondition.TERMINAL))
        .contains("unrecognized adoption policy 'adopt-please'");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).isEmpty();
    queues.deleteAndWait("missing");
    queues.deleteAndWait("typo");
  }

  @Test
  void adoptOrCreateAppliesTheSpecToWhatExistsAndCreatesWhatDoesNot(
      KubernetesClient client, TestNamespace ns) {
    String existing = "existing-" + ns.name();
    String url = existingQueue(existing, "45", Map.of());
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create(
        "existing",
        spec -> {
          spec.setQueueName(existing);
          spec.setVisibilityTimeout("60");
        },
        Map.of(POLICY, "adopt-or-create", FIELDS, "{\"queueURL\": \"" + url + "\"}"));
    String fresh = "fresh-" + ns.name();
    queues.create("fresh", spec -> spec.setQueueName(fresh), Map.of(POLICY, "adopt-or-create"));

    queues.waitFor("existing", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT))
        .as("the spec applied")
        .isEqualTo("60");
    assertThat(queues.get("existing").getMetadata().getAnnotations())
        .containsEntry(ADOPTED, "true");
    assertThat(queues.get("existing").getStatus().getQueueURL()).isEqualTo(url);

    queues.waitFor("fresh", AckCondition.RESOURCE_SYNCED, "True");
    // What another cluster would adopt it with.
    assertThat(adoptionFields(queues.get("fresh")))
        .containsExactlyEntriesOf(
            Map.of("queueURL", queues.get("fresh").getStatus().getQueueURL()));
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(fresh)).queueUrls()).hasSize(1);
    assertThat(queues.get("fresh").getMetadata().getAnnotations()).doesNotContainKey(ADOPTED);
    queues.deleteAndWait("existing");
    queues.deleteAndWait("fresh");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(existing)).queueUrls()).isEmpty();
  }

  @Test
  void aReadOnlyQueueIsObservedNeverWrittenAndStaysWhenDeleted(
      KubernetesClient client, TestNamespace ns) {
    String name = "observed-" + ns.name();
    String url = existingQueue(name, "45", Map.of());
    Map<String, Long> before = controller.callsByOperation("sqs");
    Resources<Queue, QueueSpec> queues = queues(client, ns);
    queues.create(
        "observed",
        spec -> {
          spec.setQueueName(name);
          spec.setVisibilityTimeout("45");
        },
        Map.of(READ_ONLY, "true", FIELDS, "{\"queueURL\": \"" + url + "\"}"));
    queues.waitFor("observed", AckCondition.RESOURCE_SYNCED, "True");
    Queue observed = queues.get("observed");
    assertThat(observed.getStatus().getQueueURL()).isEqualTo(url);
    assertThat(observed.getStatus().getQueueARN()).endsWith(":" + name);

    // A spec that differs is reported, not applied.
    queues.edit("observed", spec -> spec.setVisibilityTimeout("90"));
    GenericKubernetesResource differs =
        queues.waitFor("observed", AckCondition.RESOURCE_SYNCED, "False");
    assertThat(Resources.conditionMessage(differs, AckCondition.RESOURCE_SYNCED))
        .contains("differs from the spec in visibilityTimeout");
    Map<String, Long> calls =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("sqs")));
    assertThat(Resources.reads(calls)).isPositive();
    assertThat(calls.keySet()).as("calls: %s", calls).allMatch(Resources::isRead);
    assertThat(attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("45");

    // Without the annotation it is still not jack's: it takes an adoption to manage it.
    queues.annotate("observed", READ_ONLY, null);
    GenericKubernetesResource terminal = queues.waitFor("observed", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .contains("Resource already exists");
    assertThat(attribute(url, QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("45");

    queues.deleteAndWait("observed");
    assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).containsExactly(url);
    queues.awaitEvent("observed", "Retained");
  }

  @Test
  void aReadOnlyResourceThatDoesNotExistIsReportedNotCreated(
      KubernetesClient client, TestNamespace ns) {
    String name = "absent-" + ns.name();
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    buckets.create("absent", spec -> spec.setName(name), Map.of(READ_ONLY, "true"));
    GenericKubernetesResource waiting =
        buckets.waitFor("absent", AckCondition.RESOURCE_SYNCED, "False");
    assertThat(Resources.conditionMessage(waiting, AckCondition.RESOURCE_SYNCED))
        .contains("Read-only: AWS has no such Bucket");
    assertThat(controller.calls("s3", "CreateBucket")).isZero();
    buckets.deleteAndWait("absent");
    assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(name));
  }

  @Test
  void adoptingABucketReadsEveryConfigurationIntoTheSpec(
      KubernetesClient client, TestNamespace ns) {
    String name = "versioned-" + ns.name();
    s3.createBucket(b -> b.bucket(name));
    s3.putBucketVersioning(
        b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    buckets.create("versioned", spec -> spec.setName(name), Map.of(POLICY, "adopt"));
    buckets.waitFor("versioned", AckCondition.RESOURCE_SYNCED, "True");
    Bucket adopted = buckets.get("versioned");
    assertThat(adopted.getSpec().getVersioning()).isNotNull();
    assertThat(adopted.getSpec().getVersioning().getStatus()).isEqualTo("Enabled");
    assertThat(adoptionFields(adopted)).containsEntry("name", name);
    assertThat(controller.calls("s3", "CreateBucket")).isZero();
    assertThat(controller.calls("s3", "PutBucketVersioning")).isZero();
    buckets.deleteAndWait("versioned");
    assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(name));
  }

  /** A queue that exists in AWS before jack hears of it; its URL. */
  private static String existingQueue(
      String name, String visibilityTimeout, Map<String, String> tags) {
    return sqs.createQueue(
            b ->
                b.queueName(name)
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, visibilityTimeout))
                    .tags(tags))
        .queueUrl();
  }

  /** A bucket someone else made, with a tag of theirs: owner=x. */
  private static void foreignBucket(String name) {
    s3.createBucket(b -> b.bucket(name));
    s3.putBucketTagging(
        b -> b.bucket(name).tagging(t -> t.tagSet(Tag.builder().key("owner").value("x").build())));
  }

  /** The identifiers jack recorded for adopting the resource elsewhere (its annotation, JSON). */
  private static Map<String, String> adoptionFields(HasMetadata resource) {
    String json = resource.getMetadata().getAnnotations().get("jack.dev/adoption-fields");
    assertThat(json).as("%s's adoption fields", resource.getMetadata().getName()).isNotNull();
    try {
      return new ObjectMapper().readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String attribute(String url, QueueAttributeName name) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name);
  }

  private static dev.jack.services.s3.v1alpha1.Tagging tagging(String key, String value) {
    dev.jack.services.s3.v1alpha1.Tag tag = new dev.jack.services.s3.v1alpha1.Tag();
    tag.setKey(key);
    tag.setValue(value);
    dev.jack.services.s3.v1alpha1.Tagging tagging = new dev.jack.services.s3.v1alpha1.Tagging();
    tagging.setTagSet(List.of(tag));
    return tagging;
  }

  private static Resources<Queue, QueueSpec> queues(KubernetesClient client, TestNamespace ns) {
    return new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
  }

  private static Resources<Bucket, BucketSpec> buckets(KubernetesClient client, TestNamespace ns) {
    return new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
  }
}

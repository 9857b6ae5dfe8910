package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.apigatewayv2.v1alpha1.API;
import dev.jack.services.apigatewayv2.v1alpha1.APISpec;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.s3.v1alpha1.VersioningConfiguration;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Api;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A reliability scenario's resources: {@code size} Queues and Buckets (AWS knows them by name) and
 * APIs (AWS gives each an ID: a create repeated after a lost answer makes a second one), created,
 * changed and deleted through the API server as a user would, and read back from moto directly
 * (never through the proxy that injects the faults): what AWS holds, how many of each name
 * (duplicates), and what is left after the deletes (leaks).
 */
final class Fleet implements AutoCloseable {

  /** What the scenario's table reports of AWS and of the resources. */
  record Census(int resources, int synced, int duplicates, int lost, int leaked) {}

  /** The fleet's kinds. */
  static final List<String> KINDS = List.of("Queue", "Bucket", "API");

  private final KubernetesClient client;
  private final TestNamespace ns;
  private final int size;
  private final String prefix;
  private final Resources<Queue, QueueSpec> queues;
  private final Resources<Bucket, BucketSpec> buckets;
  private final Resources<API, APISpec> apis;
  private final SqsClient sqs;
  private final S3Client s3;
  private final ApiGatewayV2Client apigateway;

  Fleet(KubernetesClient client, TestNamespace ns, MotoServer moto, int size) {
    this.client = client;
    this.ns = ns;
    this.size = size;
    // Short and unique in the shared moto: bucket names have at most 63 characters.
    this.prefix = "rel" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 28);
    this.queues = new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    this.buckets = new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
    this.apis = new Resources<>(client, ns, API.class, API::new, APISpec::new);
    this.sqs = moto.configure(SqsClient.builder()).build();
    this.s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
    this.apigateway = moto.configure(ApiGatewayV2Client.builder()).build();
  }

  int resources() {
    return 3 * size;
  }

  /** The AWS name of the i-th resource of each kind. */
  String awsName(int i) {
    return prefix + "-" + i;
  }

  private static String resourceName(int i) {
    return "r" + i;
  }

  /** Applies every resource at once. */
  void createAll() {
    for (int i = 0; i < size; i++) {
      String name = awsName(i);
      queues.create(resourceName(i), spec -> spec.setQueueName(name));
      buckets.create(resourceName(i), spec -> spec.setName(name));
      apis.create(
          resourceName(i),
          spec -> {
            spec.setName(name);
            spec.setProtocolType("HTTP");
          });
    }
  }

  /** Changes every resource: a Queue's visibility timeout, a Bucket's versioning, an API's text. */
  void updateAll() {
    for (int i = 0; i < size; i++) {
      queues.edit(resourceName(i), spec -> spec.setVisibilityTimeout("45"));
      buckets.edit(
          resourceName(i),
          spec -> {
            VersioningConfiguration versioning = new VersioningConfiguration();
            versioning.setStatus("Enabled");
            spec.setVersioning(versioning);
          });
      apis.edit(resourceName(i), spec -> spec.setDescription("changed"));
    }
  }

  /** Deletes every resource at once (their finalizers then wait for jack). */
  void deleteAll() {
    for (String kind : KINDS) {
      for (int i = 0; i < size; i++) {
        resources(kind).withName(resourceName(i)).delete();
      }
    }
  }

  /** Waits until every resource is synced; the time it took. */
  Duration awaitSynced(Duration timeout) {
    return awaitUntil("every resource of the fleet synced", timeout, () -> synced() == resources());
  }

  /** Waits until AWS has every change of {@link #updateAll}; the time it took. */
  Duration awaitUpdated(Duration timeout) {
    return awaitUntil(
        "every change of the fleet in AWS", timeout, () -> updatedInAws() == resources());
  }

  /** Waits until every resource is gone from the API server (finalizers released). */
  Duration awaitGone(Duration timeout) {
    return awaitUntil("every resource of the fleet gone", timeout, () -> remaining() == 0);
  }

  private static Duration awaitUntil(
      String what, Duration timeout, java.util.concurrent.Callable<Boolean> done) {
    long start = System.nanoTime();
    await(what).atMost(timeout).pollInterval(Duration.ofMillis(500)).until(done);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** How many of the fleet's resources are synced now. */
  int synced() {
    int synced = 0;
    for (String kind : KINDS) {
      for (GenericKubernetesResource r : list(kind)) {
        if ("True".equals(ConditionWait.conditionStatus(r, AckCondition.RESOURCE_SYNCED))) {
          synced++;
        }
      }
    }
    return synced;
  }

  /** How many of the fleet's resources still exist in the API server. */
  int remaining() {
    return list("Queue").size() + list("Bucket").size() + list("API").size();
  }

  /** The resources of a kind in the namespace, with their conditions. */
  List<GenericKubernetesResource> list(String kind) {
    return resources(kind).list().getItems();
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(String kind) {
    String apiVersion =
        switch (kind) {
          case "Queue" -> "sqs.services.k8s.aws/v1alpha1";
          case "Bucket" -> "s3.services.k8s.aws/v1alpha1";
          default -> "apigatewayv2.services.k8s.aws/v1alpha1";
        };
    return client.genericKubernetesResources(apiVersion, kind).inNamespace(ns.name());
  }

  /** The conditions of the fleet's resources that are not synced, for a failure's message. */
  List<String> notSynced() {
    List<String> out = new ArrayList<>();
    for (String kind : KINDS) {
      for (GenericKubernetesResource r : list(kind)) {
        if (!"True".equals(ConditionWait.conditionStatus(r, AckCondition.RESOURCE_SYNCED))) {
          out.add(kind + " " + r.getMetadata().getName() + ": " + r.getAdditionalProperties());
        }
      }
    }
    return out;
  }

  /** What AWS holds of the fleet, and the resources' state. */
  Census census(boolean afterDelete) {
    int duplicates = 0;
    int lost = 0;
    int leaked = 0;
    Map<String, Long> apisByName = apisByName();
    Set<String> queueNames = queueNames();
    Set<String> bucketNames = bucketNames();
    for (int i = 0; i < size; i++) {
      String name = awsName(i);
      long apiCount = apisByName.getOrDefault(name, 0L);
      duplicates += (int) Math.max(0, apiCount - 1);
      int present = (queueNames.contains(name) ? 1 : 0) + (bucketNames.contains(name) ? 1 : 0);
      present += apiCount > 0 ? 1 : 0;
      if (afterDelete) {
        leaked += present;
      } else {
        lost += 3 - present;
      }
    }
    return new Census(resources(), afterDelete ? 0 : synced(), duplicates, lost, leaked);
  }

  /** How many of the fleet's resources AWS has as {@link #updateAll} changed them. */
  int updatedInAws() {
    int updated = 0;
    for (int i = 0; i < size; i++) {
      String name = awsName(i);
      try {
        String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        String timeout =
            sqs.getQueueAttributes(
                    b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes()
                .get(QueueAttributeName.VISIBILITY_TIMEOUT);
        updated += "45".equals(timeout) ? 1 : 0;
      } catch (QueueDoesNotExistException e) {
        // not there: not updated
      }
      try {
        updated +=
            s3.getBucketVersioning(b -> b.bucket(name)).status() == BucketVersioningStatus.ENABLED
                ? 1
                : 0;
      } catch (NoSuchBucketException e) {
        // not there: not updated
      }
      updated +=
          (int)
              apigateway.getApis(b -> {}).items().stream()
                  .filter(a -> name.equals(a.name()) && "changed".equals(a.description()))
                  .count();
    }
    return updated;
  }

  private Map<String, Long> apisByName() {
    return apigateway.getApis(b -> {}).items().stream()
        .filter(a -> a.name() != null && a.name().startsWith(prefix + "-"))
        .collect(Collectors.groupingBy(Api::name, Collectors.counting()));
  }

  private Set<String> queueNames() {
    return sqs.listQueues(b -> b.queueNamePrefix(prefix + "-")).queueUrls().stream()
        .map(url -> url.substring(url.lastIndexOf('/') + 1))
        .collect(Collectors.toSet());
  }

  private Set<String> bucketNames() {
    return s3.listBuckets().buckets().stream()
        .map(software.amazon.awssdk.services.s3.model.Bucket::name)
        .filter(n -> n.startsWith(prefix + "-"))
        .collect(Collectors.toSet());
  }

  /** Every resource synced and AWS holding exactly one of each, the assertion of every scenario. */
  void assertConverged() {
    assertThat(notSynced()).as("resources not synced").isEmpty();
    Census census = census(false);
    assertThat(census.duplicates()).as("duplicates in AWS").isZero();
    assertThat(census.lost()).as("resources missing in AWS").isZero();
  }

  /** Nothing left: no resource in the API server, nothing of the fleet in AWS. */
  void assertNothingLeft() {
    assertThat(remaining()).as("resources left in the API server").isZero();
    Census census = census(true);
    assertThat(census.leaked()).as("AWS resources left after the deletes").isZero();
    assertThat(census.duplicates()).as("duplicates left in AWS").isZero();
  }

  @Override
  public void close() {
    Resources.closeAll(sqs, s3, apigateway);
  }
}

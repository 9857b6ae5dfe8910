package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Route;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * The launch services on the generic resource manager, end to end: {@code examples/app/orders.yaml}
 * applied with kubectl (SNS, SQS, DynamoDB, ECR and API Gateway v2 kinds wired by references), read
 * back from moto with the SDK, changed, left alone, and deleted.
 */
@JackIntegrationTest
class ApplicationIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** Every resource of the example, as {apiVersion, kind, name}. */
  private static final List<List<String>> RESOURCES =
      List.of(
          List.of("sns.services.k8s.aws/v1alpha1", "Topic", "orders"),
          List.of("sqs.services.k8s.aws/v1alpha1", "Queue", "orders-fulfilment"),
          List.of("sns.services.k8s.aws/v1alpha1", "Subscription", "orders-to-fulfilment"),
          List.of("dynamodb.services.k8s.aws/v1alpha1", "Table", "orders"),
          List.of("ecr.services.k8s.aws/v1alpha1", "Repository", "orders-service"),
          List.of("apigatewayv2.services.k8s.aws/v1alpha1", "API", "orders"),
          List.of("apigatewayv2.services.k8s.aws/v1alpha1", "Integration", "orders-backend"),
          List.of("apigatewayv2.services.k8s.aws/v1alpha1", "Route", "orders-post"),
          List.of("apigatewayv2.services.k8s.aws/v1alpha1", "Stage", "orders-default"));

  private static RunningController controller;
  private static SnsClient sns;
  private static DynamoDbClient dynamodb;
  private static EcrClient ecr;
  private static ApiGatewayV2Client apigateway;

  @BeforeAll
  static void startController(KubeApiServer kube, MotoServer moto) {
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
    sns = moto.configure(SnsClient.builder()).build();
    dynamodb = moto.configure(DynamoDbClient.builder()).build();
    ecr = moto.configure(EcrClient.builder()).build();
    apigateway = moto.configure(ApiGatewayV2Client.builder()).build();
  }

  @AfterAll
  static void stopController() {
    Resources.closeAll(controller, sns, dynamodb, ecr, apigateway);
  }

  @Test
  void theApplicationConvergesIsLeftAloneFollowsChangesAndIsDeleted(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) throws Exception {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    kubectl.succeed("apply", "-n", ns.name(), "-f", "../examples/app/orders.yaml");
    ConditionWait wait = new ConditionWait(client);
    for (List<String> r : RESOURCES) {
      wait.until(
          r.get(0), r.get(1), ns.name(), r.get(2), AckCondition.RESOURCE_SYNCED, "True", TIMEOUT);
    }

    // SNS: the topic with its tags, and the queue subscribed through topicRef.
    String topicArn = status(client, ns, RESOURCES.get(0)).path("ackResourceMetadata").get("arn");
    assertThat(sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes())
        .containsEntry("DisplayName", "New orders");
    assertThat(tags(topicArn)).containsEntry("app", "orders");
    List<Subscription> subscriptions =
        sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions();
    assertThat(subscriptions)
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.endpoint())
                    .isEqualTo("arn:aws:sqs:us-east-1:123456789012:orders-fulfilment"));
    assertThat(conditionStatus(client, ns, RESOURCES.get(2), AckCondition.REFERENCES_RESOLVED))
        .isEqualTo("True");

    // DynamoDB: the table ACTIVE with its stream, Synced only once AWS says so.
    TableDescription table = dynamodb.describeTable(b -> b.tableName("orders")).table();
    assertThat(table.tableStatusAsString()).isEqualTo("ACTIVE");
    assertThat(table.streamSpecification().streamEnabled()).isTrue();
    assertThat(table.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");

    // ECR: the repository with its lifecycle policy (a call of its own).
    assertThat(
            ecr.describeRepositories(b -> b.repositoryNames("orders-service"))
                .repositories()
                .get(0)
                .imageTagMutabilityAsString())
        .isEqualTo("IMMUTABLE");
    assertThat(
            ecr.getLifecyclePolicy(b -> b.repositoryName("orders-service")).lifecyclePolicyText())
        .contains("keep 10 images");

    // API Gateway: the route targets the integration that targetRef names.
    String apiId = status(client, ns, RESOURCES.get(5)).get("apiID");
    String integrationId = status(client, ns, RESOURCES.get(6)).get("integrationID");
    Route route = apigateway.getRoutes(b -> b.apiId(apiId)).items().get(0);
    assertThat(route.routeKey()).isEqualTo("POST /orders");
    assertThat(route.target()).isEqualTo("integrations/" + integrationId);
    assertThat(apigateway.getStages(b -> b.apiId(apiId)).items()).hasSize(1);

    // FieldExports: what AWS assigned reaches the application's ConfigMap.
    String queueUrl = status(client, ns, RESOURCES.get(1)).get("queueURL");
    String endpoint = status(client, ns, RESOURCES.get(5)).get("apiEndpoint");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .configMaps()
                            .inNamespace(ns.name())
                            .withName("orders-config")
                            .get()
                            .getData())
                    .containsEntry("QUEUE_URL", queueUrl)
                    .containsEntry("TABLE_STREAM_ARN", table.latestStreamArn())
                    .containsEntry("API_ENDPOINT", endpoint));

    // A drift check of the converged application reads and writes nothing.
    Map<String, Long> before = allCalls();
    for (List<String> r : RESOURCES) {
      kubectl.succeed(
          "annotate",
          "-n",
          ns.name(),
          "--overwrite",
          r.get(1).toLowerCase() + "." + r.get(0).split("/")[0] + "/" + r.get(2),
          AwsResourceReconciler.REFRESH_ANNOTATION + "=1");
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> Resources.reads(Resources.difference(before, allCalls())) >= RESOURCES.size());
    Map<String, Long> resync =
        Resources.difference(before, Resources.settled(ApplicationIT::allCalls));
    System.out.printf("Application: one resync of 9 resources made %s%n", resync);
    assertThat(Resources.reads(resync)).as("every resource was read").isGreaterThanOrEqualTo(9);
    assertThat(resync.keySet())
        .as("a resync of a converged application only reads")
        .allMatch(Resources::isRead);

    // A tag another tool added stays; a tag jack applied and the spec drops is removed; a
    // configuration jack applied and the spec drops is removed.
    sns.tagResource(
        b -> b.resourceArn(topicArn).tags(Tag.builder().key("cost").value("1").build()));
    kubectl.succeed(
        "patch",
        "-n",
        ns.name(),
        "topic.sns.services.k8s.aws/orders",
        "--type=json",
        "-p",
        "[{\"op\":\"remove\",\"path\":\"/spec/tags\"},"
            + "{\"op\":\"replace\",\"path\":\"/spec/displayName\",\"value\":\"Orders\"}]");
    kubectl.succeed(
        "patch",
        "-n",
        ns.name(),
        "repository.ecr.services.k8s.aws/orders-service",
        "--type=json",
        "-p",
        "[{\"op\":\"remove\",\"path\":\"/spec/lifecyclePolicy\"}]");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes())
                  .containsEntry("DisplayName", "Orders");
              assertThat(tags(topicArn)).doesNotContainKey("app").containsEntry("cost", "1");
              assertThat(lifecyclePolicyExists("orders-service")).isFalse();
            });

    kubectl.succeed(
        "delete", "-n", ns.name(), "-f", "../examples/app/orders.yaml", "--wait", "--timeout=90s");
    assertThat(sns.listTopics().topics()).noneMatch(t -> t.topicArn().equals(topicArn));
    assertThat(dynamodb.listTables().tableNames()).doesNotContain("orders");
    assertThat(ecr.describeRepositories().repositories()).isEmpty();
    assertThat(apigateway.getApis().items()).isEmpty();
  }

  @Test
  void aReferenceToAMissingTopicWaitsWithoutCallingAwsAndResolvesWhenItExists(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) throws Exception {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    long subscribes = controller.calls("sns", "Subscribe");
    kubectl.succeed("apply", "-n", ns.name(), "-f", manifest(SUBSCRIPTION));
    ConditionWait wait = new ConditionWait(client);
    GenericKubernetesResource waiting =
        wait.until(
            "sns.services.k8s.aws/v1alpha1",
            "Subscription",
            ns.name(),
            "waits",
            AckCondition.REFERENCES_RESOLVED,
            "False",
            TIMEOUT);
    assertThat(ConditionWait.conditionStatus(waiting, AckCondition.RESOURCE_SYNCED))
        .isEqualTo("False");
    assertThat(controller.calls("sns", "Subscribe")).isEqualTo(subscribes);
    assertThat(waiting.getMetadata().getFinalizers())
        .as("nothing of it in AWS yet: no finalizer holds a deletion up")
        .isNullOrEmpty();

    kubectl.succeed("apply", "-n", ns.name(), "-f", manifest(TOPIC));
    GenericKubernetesResource synced =
        wait.until(
            "sns.services.k8s.aws/v1alpha1",
            "Subscription",
            ns.name(),
            "waits",
            AckCondition.RESOURCE_SYNCED,
            "True",
            TIMEOUT);
    assertThat(controller.calls("sns", "Subscribe")).isEqualTo(subscribes + 1);
    assertThat(synced.getMetadata().getFinalizers())
        .as("added with the claim, before the Subscribe")
        .containsExactly("finalizers.sns.services.k8s.aws/Subscription");
    kubectl.succeed(
        "delete",
        "-n",
        ns.name(),
        "subscriptions.sns.services.k8s.aws/waits",
        "--wait",
        "--timeout=90s");
    kubectl.succeed(
        "delete",
        "-n",
        ns.name(),
        "topics.sns.services.k8s.aws/later-topic",
        "--wait",
        "--timeout=90s");
  }

  @Test
  void aDeleteThatAwsRefusesIsReportedAndRetriedUntilItWorks(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) throws Exception {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    kubectl.succeed("apply", "-n", ns.name(), "-f", manifest(BUSY_REPOSITORY));
    ConditionWait wait = new ConditionWait(client);
    wait.until(
        "ecr.services.k8s.aws/v1alpha1",
        "Repository",
        ns.name(),
        "busy",
        AckCondition.RESOURCE_SYNCED,
        "True",
        TIMEOUT);
    // An image makes ECR refuse to delete the repository.
    ecr.putImage(b -> b.repositoryName("busy").imageTag("v1").imageManifest(IMAGE_MANIFEST));

    kubectl.succeed(
        "delete", "-n", ns.name(), "repository.ecr.services.k8s.aws/busy", "--wait=false");
    GenericKubernetesResource refused =
        wait.until(
            "ecr.services.k8s.aws/v1alpha1",
            "Repository",
            ns.name(),
            "busy",
            AckCondition.RECOVERABLE,
            "True",
            TIMEOUT);
    assertThat(refused.getMetadata().getFinalizers())
        .as("the finalizer stays while AWS has the repository")
        .isNotEmpty();
    assertThat(refused.toString()).contains("RepositoryNotEmptyException");
    await("a DeleteFailed event on busy")
        .atMost(TIMEOUT)
        .until(
            () ->
                client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                    .anyMatch(
                        e ->
                            e.getInvolvedObject().getName().equals("busy")
                                && e.getReason().equals("DeleteFailed")));
    assertThat(ecr.describeRepositories(b -> b.repositoryNames("busy")).repositories()).hasSize(1);

    // Once the image is gone, the next attempt deletes the repository and lets the resource go.
    ecr.batchDeleteImage(b -> b.repositoryName("busy").imageIds(i -> i.imageTag("v1")));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client
                        .genericKubernetesResources("ecr.services.k8s.aws/v1alpha1", "Repository")
                        .inNamespace(ns.name())
                        .withName("busy")
                        .get()
                    == null);
    assertThat(ecr.describeRepositories().repositories())
        .noneMatch(r -> r.repositoryName().equals("busy"));
  }

  private static final String BUSY_REPOSITORY =
      """
      apiVersion: ecr.services.k8s.aws/v1alpha1
      kind: Repository
      metadata:
        name: busy
      spec:
        name: busy
      """;

  private static final String IMAGE_MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
          + "\"size\":7023,\"digest\":\"sha256:"
          + "b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7\"},\"layers\":[]}";

  private static final String TOPIC =
      """
      apiVersion: sns.services.k8s.aws/v1alpha1
      kind: Topic
      metadata:
        name: later-topic
      spec:
        name: later-topic
      """;

  private static final String SUBSCRIPTION =
      """
      apiVersion: sns.services.k8s.aws/v1alpha1
      kind: Subscription
      metadata:
        name: waits
      spec:
        topicRef:
          from:
            name: later-topic
        protocol: sqs
        endpoint: arn:aws:sqs:us-east-1:123456789012:nowhere
      """;

  private static String manifest(String yaml) throws java.io.IOException {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("manifest", ".yaml");
    java.nio.file.Files.writeString(file, yaml);
    return file.toString();
  }

  private static Map<String, Long> allCalls() {
    return controller.callsByOperation(List.of("sns", "sqs", "dynamodb", "ecr", "apigatewayv2"));
  }

  private static Map<String, String> tags(String arn) {
    return sns.listTagsForResource(b -> b.resourceArn(arn)).tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  private static boolean lifecyclePolicyExists(String repository) {
    try {
      ecr.getLifecyclePolicy(b -> b.repositoryName(repository));
      return true;
    } catch (LifecyclePolicyNotFoundException e) {
      return false;
    }
  }

  private static Map<String, Object> statusMap(
      KubernetesClient client, TestNamespace ns, List<String> r) {
    GenericKubernetesResource resource =
        client
            .genericKubernetesResources(r.get(0), r.get(1))
            .inNamespace(ns.name())
            .withName(r.get(2))
            .get();
    @SuppressWarnings("unchecked")
    Map<String, Object> status =
        (Map<String, Object>) resource.getAdditionalProperties().get("status");
    return status;
  }

  /** A resource's status as a tree of text values. */
  private static StatusView status(KubernetesClient client, TestNamespace ns, List<String> r) {
    return new StatusView(statusMap(client, ns, r));
  }

  private static String conditionStatus(
      KubernetesClient client, TestNamespace ns, List<String> r, String type) {
    return ConditionWait.conditionStatus(
        client
            .genericKubernetesResources(r.get(0), r.get(1))
            .inNamespace(ns.name())
            .withName(r.get(2))
            .get(),
        type);
  }

  private record StatusView(Map<String, Object> values) {
    String get(String key) {
      Object value = values.get(key);
      return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    StatusView path(String key) {
      return new StatusView((Map<String, Object>) values.get(key));
    }
  }
}

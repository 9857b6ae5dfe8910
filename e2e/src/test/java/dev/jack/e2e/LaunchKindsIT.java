package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Every kind of the six launch services (S3, SQS, SNS, DynamoDB, ECR, API Gateway v2) from its
 * example, one at a time in dependency order, as a user applies them with kubectl: each reaches
 * Synced, or reports that the endpoint lacks an operation it needs (moto's gaps) and does not loop;
 * a drift check of a synced one only reads; a spec change reaches AWS and a change made in AWS is
 * repaired; each is deleted. Prints the AWS calls of each step per kind.
 */
@JackIntegrationTest
class LaunchKindsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The examples in the order their references need, as {file, apiVersion, kind, name}. */
  private static final List<List<String>> EXAMPLES =
      List.of(
          example("sqs/queue", "sqs", "Queue", "example-queue"),
          example("s3/bucket", "s3", "Bucket", "example-bucket"),
          example("sns/topic", "sns", "Topic", "example-topic"),
          example("sns/subscription", "sns", "Subscription", "example-subscription"),
          example(
              "sns/platformapplication",
              "sns",
              "PlatformApplication",
              "example-platform-application"),
          example("sns/platformendpoint", "sns", "PlatformEndpoint", "example-platform-endpoint"),
          example("dynamodb/table", "dynamodb", "Table", "example-table"),
          example("dynamodb/backup", "dynamodb", "Backup", "example-backup"),
          example("dynamodb/globaltable", "dynamodb", "GlobalTable", "example-global-table"),
          example("ecr/repository", "ecr", "Repository", "example-repository"),
          example(
              "ecr/pullthroughcacherule",
              "ecr",
              "PullThroughCacheRule",
              "example-pull-through-cache-rule"),
          example(
              "ecr/repositorycreationtemplate",
              "ecr",
              "RepositoryCreationTemplate",
              "example-repository-creation-template"),
          example("apigatewayv2/api", "apigatewayv2", "API", "example-api"),
          example("apigatewayv2/vpclink", "apigatewayv2", "VPCLink", "example-vpc-link"),
          example("apigatewayv2/integration", "apigatewayv2", "Integration", "example-integration"),
          example("apigatewayv2/authorizer", "apigatewayv2", "Authorizer", "example-authorizer"),
          example("apigatewayv2/route", "apigatewayv2", "Route", "example-route"),
          example("apigatewayv2/deployment", "apigatewayv2", "Deployment", "example-deployment"),
          example("apigatewayv2/stage", "apigatewayv2", "Stage", "example-stage"),
          example("apigatewayv2/domainname", "apigatewayv2", "DomainName", "example-domain-name"),
          example("apigatewayv2/apimapping", "apigatewayv2", "APIMapping", "example-api-mapping"));

  /** The kinds whose calls moto 5.2.1 does not implement (../shared/notes/moto-coverage.md). */
  private static final Set<String> NOT_IN_MOTO =
      Set.of("GlobalTable", "PullThroughCacheRule", "RepositoryCreationTemplate", "Deployment");

  private static RunningController controller;
  private static SnsClient sns;
  private static DynamoDbClient dynamodb;
  private static EcrClient ecr;
  private static ApiGatewayV2Client apigateway;

  /**
   * A spec change of a kind, as a merge patch; how to read the changed value back from AWS (given
   * the resource's status); and how to change it in AWS behind jack's back. Stage, DomainName and
   * APIMapping are not here: moto does not implement their updates; Backup has nothing mutable.
   */
  private record Change(
      String patch,
      String expected,
      Function<JsonNode, String> observe,
      Consumer<JsonNode> drift) {}

  private static final Map<String, Change> CHANGES = new java.util.TreeMap<>();

  static {
    CHANGES.put(
        "Topic",
        new Change(
            "{\"spec\":{\"displayName\":\"changed\"}}",
            "changed",
            s -> sns.getTopicAttributes(b -> b.topicArn(arn(s))).attributes().get("DisplayName"),
            s ->
                sns.setTopicAttributes(
                    b ->
                        b.topicArn(arn(s))
                            .attributeName("DisplayName")
                            .attributeValue("drifted"))));
    CHANGES.put(
        "Subscription",
        new Change(
            "{\"spec\":{\"rawMessageDelivery\":\"false\"}}",
            "false",
            s ->
                sns.getSubscriptionAttributes(b -> b.subscriptionArn(arn(s)))
                    .attributes()
                    .get("RawMessageDelivery"),
            s ->
                sns.setSubscriptionAttributes(
                    b ->
                        b.subscriptionArn(arn(s))
                            .attributeName("RawMessageDelivery")
                            .attributeValue("true"))));
    CHANGES.put(
        "PlatformApplication",
        new Change(
            "{\"spec\":{\"successFeedbackSampleRate\":\"50\"}}",
            "50",
            s ->
                sns.getPlatformApplicationAttributes(b -> b.platformApplicationArn(arn(s)))
                    .attributes()
                    .get("SuccessFeedbackSampleRate"),
            s ->
                sns.setPlatformApplicationAttributes(
                    b ->
                        b.platformApplicationArn(arn(s))
                            .attributes(Map.of("SuccessFeedbackSampleRate", "10")))));
    CHANGES.put(
        "PlatformEndpoint",
        new Change(
            "{\"spec\":{\"enabled\":\"false\"}}",
            "false",
            s ->
                sns.getEndpointAttributes(b -> b.endpointArn(s.path("endpointARN").asText()))
                    .attributes()
                    .get("Enabled"),
            s ->
                sns.setEndpointAttributes(
                    b ->
                        b.endpointArn(s.path("endpointARN").asText())
                            .attributes(Map.of("Enabled", "true")))));
    CHANGES.put(
        "Table",
        new Change(
            "{\"spec\":{\"timeToLive\":{\"enabled\":true,\"attributeName\":\"expires\"}}}",
            "ENABLED",
            s ->
                dynamodb
                    .describeTimeToLive(b -> b.tableName("jack-example-table"))
                    .timeToLiveDescription()
                    .timeToLiveStatusAsString(),
            s ->
                dynamodb.updateTimeToLive(
                    b ->
                        b.tableName("jack-example-table")
                            .timeToLiveSpecification(
                                t -> t.enabled(false).attributeName("expires")))));
    CHANGES.put(
        "Repository",
        new Change(
            "{\"spec\":{\"imageTagMutability\":\"MUTABLE\"}}",
            "MUTABLE",
            s ->
                ecr.describeRepositories(b -> b.repositoryNames("jack-example-repository"))
                    .repositories()
                    .get(0)
                    .imageTagMutabilityAsString(),
            s ->
                ecr.putImageTagMutability(
                    b ->
                        b.repositoryName("jack-example-repository")
                            .imageTagMutability("IMMUTABLE"))));
    CHANGES.put(
        "API",
        new Change(
            "{\"spec\":{\"description\":\"changed\"}}",
            "changed",
            s -> apigateway.getApi(b -> b.apiId(s.path("apiID").asText())).description(),
            s ->
                apigateway.updateApi(
                    b -> b.apiId(s.path("apiID").asText()).description("drifted"))));
    CHANGES.put(
        "VPCLink",
        new Change(
            "{\"spec\":{\"name\":\"renamed\"}}",
            "renamed",
            s -> apigateway.getVpcLink(b -> b.vpcLinkId(s.path("vpcLinkID").asText())).name(),
            s ->
                apigateway.updateVpcLink(
                    b -> b.vpcLinkId(s.path("vpcLinkID").asText()).name("drifted"))));
    CHANGES.put(
        "Integration",
        new Change(
            "{\"spec\":{\"description\":\"changed\"}}",
            "changed",
            s ->
                apigateway
                    .getIntegration(
                        b -> b.apiId(apiId()).integrationId(s.path("integrationID").asText()))
                    .description(),
            s ->
                apigateway.updateIntegration(
                    b ->
                        b.apiId(apiId())
                            .integrationId(s.path("integrationID").asText())
                            .description("drifted"))));
    CHANGES.put(
        "Authorizer",
        new Change(
            "{\"spec\":{\"name\":\"jwt-renamed\"}}",
            "jwt-renamed",
            s ->
                apigateway
                    .getAuthorizer(
                        b -> b.apiId(apiId()).authorizerId(s.path("authorizerID").asText()))
                    .name(),
            s ->
                apigateway.updateAuthorizer(
                    b ->
                        b.apiId(apiId())
                            .authorizerId(s.path("authorizerID").asText())
                            .name("drifted"))));
    CHANGES.put(
        "Route",
        new Change(
            "{\"spec\":{\"routeKey\":\"GET /things\"}}",
            "GET /things",
            s ->
                apigateway
                    .getRoute(b -> b.apiId(apiId()).routeId(s.path("routeID").asText()))
                    .routeKey(),
            s ->
                apigateway.updateRoute(
                    b ->
                        b.apiId(apiId())
                            .routeId(s.path("routeID").asText())
                            .routeKey("GET /drifted"))));
  }

  private static String arn(JsonNode status) {
    return status.path("ackResourceMetadata").path("arn").asText();
  }

  private static String apiId() {
    return apigateway.getApis().items().stream()
        .filter(a -> a.name().equals("jack-example-api"))
        .findFirst()
        .orElseThrow()
        .apiId();
  }

  private static JsonNode status(GenericKubernetesResource resource) {
    return JSON.valueToTree(resource.getAdditionalProperties().get("status"));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

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

  private static List<String> example(String file, String service, String kind, String name) {
    return List.of(
        "../examples/" + file + ".yaml", service + ".services.k8s.aws/v1alpha1", kind, name);
  }

  @Test
  void everyKindIsCreatedCheckedAndDeletedFromItsExample(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    ConditionWait wait = new ConditionWait(client);
    Map<String, String> figures = new LinkedHashMap<>();
    Set<String> notImplemented = new TreeSet<>();
    Set<String> updated = new TreeSet<>();
    List<List<String>> synced = new ArrayList<>();
    for (List<String> example : EXAMPLES) {
      String kind = example.get(2);
      Map<String, Long> before = allCalls();
      kubectl.succeed("apply", "-n", ns.name(), "-f", example.get(0));
      GenericKubernetesResource resource =
          await()
              .atMost(TIMEOUT)
              .until(
                  () -> get(client, ns, example),
                  r ->
                      "True".equals(ConditionWait.conditionStatus(r, AckCondition.RESOURCE_SYNCED))
                          || "NotImplemented".equals(reason(r, AckCondition.RECOVERABLE)));
      if (!"True".equals(ConditionWait.conditionStatus(resource, AckCondition.RESOURCE_SYNCED))) {
        notImplemented.add(kind);
        // Reported after calling the endpoint, then left until the resync period: no retry loop.
        Map<String, Long> afterReport = allCalls();
        Set<String> asked = Resources.difference(before, afterReport).keySet();
        assertThat(asked)
            .as("%s asked the endpoint before reporting it lacks the operation", kind)
            .isNotEmpty();
        // An absence needs a window: three seconds would hold several retries of a hot loop. Only
        // the operations this kind asked count: an earlier kind's scheduled look is no retry.
        // Checked throughout the window, not once at its end.
        await(kind + " does not retry an operation the endpoint lacks")
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    Resources.difference(afterReport, allCalls()).keySet().stream()
                        .noneMatch(asked::contains));
        continue;
      }
      Map<String, Long> created = allCalls();
      String create = Resources.difference(before, created).toString();

      // One drift check, on demand as a resync makes it: it happened, and it only read.
      kubectl.succeed(
          "annotate",
          "-n",
          ns.name(),
          "--overwrite",
          kind.toLowerCase() + "." + example.get(1).split("/")[0] + "/" + example.get(3),
          AwsResourceReconciler.REFRESH_ANNOTATION + "=1");
      await()
          .atMost(TIMEOUT)
          .until(() -> Resources.reads(Resources.difference(created, allCalls())) > 0);
      Map<String, Long> resync =
          Resources.difference(created, Resources.settled(LaunchKindsIT::allCalls));
      assertThat(resync.keySet())
          .as("a drift check of a converged %s only reads", kind)
          .allMatch(Resources::isRead);
      // Nor does it write the resource, but for the record of the check in its status: what the
      // create wrote (the spec's late-initialized fields, jack's records) is whole.
      GenericKubernetesResource checked =
          await()
              .atMost(TIMEOUT)
              .until(
                  () -> get(client, ns, example),
                  r ->
                      "1"
                          .equals(
                              Resources.conditionMessage(
                                  r, AwsResourceReconciler.REFRESHED_CONDITION)));
      assertThat(Resources.written(checked))
          .as("%s's spec and metadata after a drift check of it, converged", kind)
          .isEqualTo(Resources.written(resource));
      figures.put(kind, "create " + create + "; resync " + resync);

      Change change = CHANGES.get(kind);
      if (change != null) {
        // A spec change reaches AWS; then a change made in AWS behind jack's back is repaired.
        String resourceName =
            kind.toLowerCase() + "." + example.get(1).split("/")[0] + "/" + example.get(3);
        kubectl.succeed(
            "patch", "-n", ns.name(), resourceName, "--type=merge", "-p", change.patch());
        await()
            .atMost(TIMEOUT)
            .untilAsserted(
                () ->
                    assertThat(change.observe().apply(status(get(client, ns, example))))
                        .as("%s: the spec change in AWS", kind)
                        .isEqualTo(change.expected()));
        change.drift().accept(status(get(client, ns, example)));
        assertThat(change.observe().apply(status(get(client, ns, example))))
            .as("%s: drifted in AWS", kind)
            .isNotEqualTo(change.expected());
        kubectl.succeed(
            "annotate",
            "-n",
            ns.name(),
            "--overwrite",
            resourceName,
            AwsResourceReconciler.REFRESH_ANNOTATION + "=2");
        await()
            .atMost(TIMEOUT)
            .untilAsserted(
                () ->
                    assertThat(change.observe().apply(status(get(client, ns, example))))
                        .as("%s: drift repaired", kind)
                        .isEqualTo(change.expected()));
        updated.add(kind);
      }
      synced.add(example);
    }
    assertThat(notImplemented).isEqualTo(NOT_IN_MOTO);
    assertThat(updated).isEqualTo(CHANGES.keySet());

    java.util.Collections.reverse(synced);
    for (List<String> example : synced) {
      Map<String, Long> before = allCalls();
      kubectl.succeed("delete", "-n", ns.name(), "-f", example.get(0), "--wait", "--timeout=60s");
      figures.merge(
          example.get(2), "; delete " + Resources.difference(before, allCalls()), String::concat);
    }
    for (List<String> example : EXAMPLES) {
      if (NOT_IN_MOTO.contains(example.get(2))) {
        kubectl.succeed("delete", "-n", ns.name(), "-f", example.get(0), "--wait", "--timeout=60s");
      }
    }
    figures.forEach((kind, calls) -> System.out.printf("AWS calls of %s: %s%n", kind, calls));
  }

  private static GenericKubernetesResource get(
      KubernetesClient client, TestNamespace ns, List<String> example) {
    return client
        .genericKubernetesResources(example.get(1), example.get(2))
        .inNamespace(ns.name())
        .withName(example.get(3))
        .get();
  }

  @SuppressWarnings("unchecked")
  private static String reason(GenericKubernetesResource resource, String type) {
    if (resource == null || resource.getAdditionalProperties().get("status") == null) {
      return null;
    }
    Map<String, Object> status =
        (Map<String, Object>) resource.getAdditionalProperties().get("status");
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
    if (conditions == null) {
      return null;
    }
    return conditions.stream()
        .filter(c -> type.equals(c.get("type")) && "True".equals(c.get("status")))
        .map(c -> (String) c.get("reason"))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, Long> allCalls() {
    return controller.callsByOperation(
        List.of("sqs", "s3", "sns", "dynamodb", "ecr", "apigatewayv2"));
  }
}

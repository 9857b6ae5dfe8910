package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.Kubectl;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of the launch services (SNS, DynamoDB, ECR, API Gateway v2) from its example, one at a
 * time in dependency order, as a user applies them with kubectl: each reaches Synced, or reports
 * that the endpoint lacks an operation it needs (moto's gaps) and does not loop; a drift check of a
 * synced one only reads; each is deleted. Prints the AWS calls of each step per kind.
 */
@JackIntegrationTest
class LaunchKindsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The examples in the order their references need, as {file, apiVersion, kind, name}. */
  private static final List<List<String>> EXAMPLES =
      List.of(
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

  @BeforeAll
  static void startController(KubeApiServer kube, MotoServer moto) {
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
  }

  @AfterAll
  static void stopController() {
    if (controller != null) {
      controller.close();
    }
  }

  private static List<String> example(String file, String service, String kind, String name) {
    return List.of(
        "../examples/" + file + ".yaml", service + ".services.k8s.aws/v1alpha1", kind, name);
  }

  @Test
  void everyKindIsCreatedCheckedAndDeletedFromItsExample(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) {
    Kubectl kubectl = Kubectl.forAdmin(kube);
    ConditionWait wait = new ConditionWait(client);
    Map<String, String> figures = new LinkedHashMap<>();
    Set<String> notImplemented = new TreeSet<>();
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
        // Reported once, then left until the resync period: no retry loop against the endpoint.
        Map<String, Long> afterReport = allCalls();
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        assertThat(Resources.difference(afterReport, allCalls()))
            .as("%s does not retry an operation the endpoint lacks", kind)
            .isEmpty();
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
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      Map<String, Long> resync = Resources.difference(created, allCalls());
      assertThat(resync.keySet())
          .as("a drift check of a converged %s only reads", kind)
          .allMatch(Resources::isRead);
      figures.put(kind, "create " + create + "; resync " + resync);
      synced.add(example);
    }
    assertThat(notImplemented).isEqualTo(NOT_IN_MOTO);

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
    return controller.callsByOperation(List.of("sns", "dynamodb", "ecr", "apigatewayv2"));
  }
}

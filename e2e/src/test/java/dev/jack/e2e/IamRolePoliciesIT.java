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
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;

/**
 * A set of items added one call each (an IAM role's attached policies): jack attaches what the spec
 * lists, detaches what it attached and the spec dropped, and leaves policies others attached.
 */
@JackIntegrationTest
class IamRolePoliciesIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
          + "\"Resource\":\"*\"}]}";

  @Test
  void attachedPoliciesFollowTheSpecAndForeignOnesStay(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto)
      throws Exception {
    try (RunningController controller = RunningController.start(kube, moto, Duration.ofHours(10));
        IamClient iam = moto.configure(IamClient.builder()).build()) {
      String ours =
          iam.createPolicy(b -> b.policyName("ours").policyDocument(DOCUMENT)).policy().arn();
      String theirs =
          iam.createPolicy(b -> b.policyName("theirs").policyDocument(DOCUMENT)).policy().arn();
      ClusterCli kubectl = ClusterCli.kubectl(kube);
      kubectl.succeed("apply", "-n", ns.name(), "-f", role(List.of(ours)));
      new ConditionWait(client)
          .until(
              "iam.services.k8s.aws/v1alpha1",
              "Role",
              ns.name(),
              "app",
              AckCondition.RESOURCE_SYNCED,
              "True",
              TIMEOUT);
      assertThat(attached(iam)).containsExactly(ours);

      // Another tool attaches a policy: a drift check leaves it.
      iam.attachRolePolicy(b -> b.roleName("app").policyArn(theirs));
      long detaches = controller.calls("iam", "DetachRolePolicy");
      kubectl.succeed(
          "annotate",
          "-n",
          ns.name(),
          "--overwrite",
          "role.iam.services.k8s.aws/app",
          AwsResourceReconciler.REFRESH_ANNOTATION + "=1");
      await().atMost(TIMEOUT).until(() -> controller.calls("iam", "ListAttachedRolePolicies") >= 2);
      assertThat(attached(iam)).containsExactlyInAnyOrder(ours, theirs);
      assertThat(controller.calls("iam", "DetachRolePolicy")).isEqualTo(detaches);

      // The spec drops the policy jack attached: jack detaches it, and only it.
      kubectl.succeed("apply", "-n", ns.name(), "-f", role(List.of()));
      await()
          .atMost(TIMEOUT)
          .untilAsserted(() -> assertThat(attached(iam)).containsExactly(theirs));

      iam.detachRolePolicy(b -> b.roleName("app").policyArn(theirs));
      kubectl.succeed(
          "delete", "-n", ns.name(), "role.iam.services.k8s.aws/app", "--wait", "--timeout=60s");
      assertThat(iam.listRoles().roles()).noneMatch(r -> r.roleName().equals("app"));
    }
  }

  private static List<String> attached(IamClient iam) {
    return iam.listAttachedRolePolicies(b -> b.roleName("app")).attachedPolicies().stream()
        .map(AttachedPolicy::policyArn)
        .toList();
  }

  private static String role(List<String> policies) throws Exception {
    Path file = Files.createTempFile("role", ".yaml");
    StringBuilder list = new StringBuilder();
    policies.forEach(p -> list.append("\n    - ").append(p));
    Files.writeString(
        file,
        """
        apiVersion: iam.services.k8s.aws/v1alpha1
        kind: Role
        metadata:
          name: app
        spec:
          name: app
          assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
          policies: %s
        """
            .formatted(policies.isEmpty() ? "[]" : list.toString()));
    return file.toString();
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.api.AckCondition;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * A controller whose AWS identity lacks a permission: its resources say so and retry with backoff,
 * and heal by themselves once the permission is granted, as when a platform team fixes an IAM
 * policy. moto checks IAM policies here, as AWS does.
 */
@JackIntegrationTest
class AccessDeniedIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static final String ALLOW =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"%s\","
          + "\"Resource\":\"*\"}]}";

  @Test
  void accessDeniedIsRecoverableAndHealsWhenThePermissionIsGranted(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto)
      throws Exception {
    AccessKey adminKey;
    AccessKey jackKey;
    try (IamClient iam = moto.configure(IamClient.builder()).build()) {
      iam.createUser(b -> b.userName("platform-admin"));
      iam.putUserPolicy(
          b -> b.userName("platform-admin").policyName("all").policyDocument(ALLOW.formatted("*")));
      adminKey = iam.createAccessKey(b -> b.userName("platform-admin")).accessKey();
      iam.createUser(b -> b.userName("jack"));
      iam.putUserPolicy(
          b ->
              b.userName("jack")
                  .policyName("identity")
                  .policyDocument(ALLOW.formatted("sts:GetCallerIdentity")));
      jackKey = iam.createAccessKey(b -> b.userName("jack")).accessKey();
    }
    moto.enforceIamPermissions();
    try (RunningController controller =
            RunningController.start(
                kube, moto.endpoint(), Duration.ofHours(10), null, credentials(jackKey));
        IamClient admin =
            moto.configure(IamClient.builder()).credentialsProvider(credentials(adminKey)).build();
        SnsClient sns =
            moto.configure(SnsClient.builder())
                .credentialsProvider(credentials(adminKey))
                .build()) {
      Path manifest = Files.createTempFile("topic", ".yaml");
      Files.writeString(
          manifest,
          """
          apiVersion: sns.services.k8s.aws/v1alpha1
          kind: Topic
          metadata:
            name: denied
          spec:
            name: denied
          """);
      ClusterCli.kubectl(kube).succeed("apply", "-n", ns.name(), "-f", manifest.toString());
      ConditionWait wait = new ConditionWait(client);
      GenericKubernetesResource denied =
          wait.until(
              "sns.services.k8s.aws/v1alpha1",
              "Topic",
              ns.name(),
              "denied",
              AckCondition.RECOVERABLE,
              "True",
              TIMEOUT);
      assertThat(denied.toString())
          .contains("403")
          .contains("The controller's AWS identity lacks the permission");
      assertThat(ConditionWait.conditionStatus(denied, AckCondition.TERMINAL))
          .as("a permission can be granted later: never terminal")
          .isNotEqualTo("True");
      assertThat(sns.listTopics().topics()).isEmpty();

      admin.putUserPolicy(
          b -> b.userName("jack").policyName("sns").policyDocument(ALLOW.formatted("sns:*")));
      wait.until(
          "sns.services.k8s.aws/v1alpha1",
          "Topic",
          ns.name(),
          "denied",
          AckCondition.RESOURCE_SYNCED,
          "True",
          TIMEOUT);
      assertThat(sns.listTopics().topics()).hasSize(1);
      ClusterCli.kubectl(kube)
          .succeed(
              "delete",
              "-n",
              ns.name(),
              "topic.sns.services.k8s.aws/denied",
              "--wait",
              "--timeout=60s");
      assertThat(sns.listTopics().topics()).isEmpty();
    } finally {
      moto.reset();
    }
  }

  private static StaticCredentialsProvider credentials(AccessKey key) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A resource lives in the account whose credentials created it. When jack's credentials later
 * belong to another account (a changed IRSA role, a wrong secret), jack must neither create the
 * resource again there nor, at deletion, find nothing there and let the original go unmanaged. moto
 * keeps accounts apart: credentials from AssumeRole into another account act in that account.
 */
@JackIntegrationTest
class AccountPinningIT {

  private static final String OTHER_ACCOUNT = "111111111111";

  @Test
  void anotherAccountsCredentialsAreReportedNeverActedOn(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    String name = "account-" + ns.name();
    String url;
    try (RunningController home = RunningController.start(kube, moto, Duration.ofHours(10))) {
      queues.create("pinned", spec -> spec.setQueueName(name));
      queues.waitFor("pinned", AckCondition.RESOURCE_SYNCED, "True");
      url = queues.get("pinned").getStatus().getQueueURL();
      assertThat(queues.get("pinned").getStatus().getAckResourceMetadata().getOwnerAccountID())
          .isEqualTo(MotoServer.ACCOUNT_ID);
    }

    Credentials other;
    try (StsClient sts = moto.configure(StsClient.builder()).build()) {
      other =
          sts.assumeRole(
                  b ->
                      b.roleArn("arn:aws:iam::" + OTHER_ACCOUNT + ":role/jack")
                          .roleSessionName("jack"))
              .credentials();
    }
    try (RunningController elsewhere =
        RunningController.start(
            kube,
            moto.endpoint(),
            Duration.ofHours(10),
            null,
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    other.accessKeyId(), other.secretAccessKey(), other.sessionToken())))) {
      // A start-up reconciles every resource: this one is reported, and nothing is created.
      GenericKubernetesResource terminal = queues.waitFor("pinned", AckCondition.TERMINAL, "True");
      assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
          .contains("belongs to account " + MotoServer.ACCOUNT_ID)
          .contains(OTHER_ACCOUNT);
      assertThat(elsewhere.calls("sqs", "CreateQueue")).isZero();
      assertThat(otherAccountQueues(moto, other, name)).as("queues in the other account").isZero();

      // Deleting it neither deletes elsewhere nor lets the original go: the finalizer stays.
      client.resources(Queue.class).inNamespace(ns.name()).withName("pinned").delete();
      await()
          .atMost(Resources.TIMEOUT)
          .until(
              () ->
                  queues.events("pinned").stream()
                      .anyMatch(e -> "DeleteFailed".equals(e.getReason())));
      assertThat(queues.get("pinned")).as("the resource waits for its account").isNotNull();
      assertThat(elsewhere.calls("sqs", "DeleteQueue")).isZero();
    }
    try (SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).contains(url);
    }

    // With the right credentials back, the delete completes where the queue lives.
    try (RunningController home = RunningController.start(kube, moto, Duration.ofHours(10))) {
      await().atMost(Resources.TIMEOUT).until(() -> queues.get("pinned") == null);
    }
    try (SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      assertThat(sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls()).doesNotContain(url);
    }
  }

  private static long otherAccountQueues(MotoServer moto, Credentials other, String name) {
    try (SqsClient sqs =
        moto.configure(SqsClient.builder())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        other.accessKeyId(), other.secretAccessKey(), other.sessionToken())))
            .build()) {
      return sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls().size();
    }
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.OneNodeCluster;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * jack as a user runs it: the real helm installs the {@code jack} chart into a real one-node
 * cluster (kubelet, containerd, runc; {@link OneNodeCluster}); the image the build makes is
 * imported into containerd, the pod starts as the chart says (non-root, read-only root, its
 * probes), and reconciles a Bucket and a Queue applied with kubectl against moto on the host.
 * {@code helm upgrade} with a new value rolls the pod; with {@code deletionPolicy: retain},
 * deleting a resource and {@code helm uninstall} leave the AWS resources. The cluster then puts the
 * machine back as it was and checks it, also when a step fails.
 *
 * <p>It needs root and changes the host while it runs, so the default build leaves it out: {@code
 * make node-test} runs it ({@code -Dit.test=NodeIT}).
 */
class NodeIT {

  private static final Path IMAGE = Path.of("..", "image", "target", "jib-image.tar");
  private static final Path CHART = Path.of("..", "charts", "target", "helm", "jack");
  private static final String RELEASE = "jack";
  private static final String SYSTEM = "jack-system";
  private static final String APPS = "apps";
  private static final Duration POD_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);

  private static MotoServer moto;
  private static OneNodeCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void startCluster() {
    Path work = Path.of("target", "node-it").toAbsolutePath();
    Binaries binaries = Binaries.fromEnvironment();
    moto = MotoServer.start(binaries, work.resolve("moto"));
    cluster = OneNodeCluster.start(binaries, work.resolve("cluster"));
    client = cluster.kube().newAdminClient();
    System.out.printf(
        "NodeIT: node Ready %d ms after start%n", cluster.nodeReadyAfter().toMillis());
  }

  @AfterAll
  static void stopCluster() {
    try {
      if (client != null) {
        client.close();
      }
      if (cluster != null) {
        // Fails the class when the machine is not as it was.
        cluster.close();
        System.out.println("NodeIT: the machine is as it was before the cluster started");
      }
    } finally {
      if (moto != null) {
        moto.close();
      }
    }
  }

  @Test
  void theChartRunsOnTheNodeRollsOnUpgradeAndUninstallRetainsTheAwsResources() throws Exception {
    assertThat(cluster.importImage(IMAGE)).contains("docker.io/library/jack:v0.1.0");
    ClusterCli kubectl = new ClusterCli(Binaries.fromEnvironment().kubectl(), kubeconfig());
    ClusterCli helm = new ClusterCli(Binaries.fromEnvironment().helm(), kubeconfig());
    kubectl.succeed("create", "namespace", SYSTEM);
    kubectl.succeed("create", "namespace", APPS);
    Path credentials = Files.createTempFile("aws-credentials", "");
    Files.writeString(
        credentials,
        "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
            .formatted(MotoServer.ACCESS_KEY_ID, MotoServer.SECRET_ACCESS_KEY));
    kubectl.succeed(
        "create",
        "secret",
        "generic",
        "aws-credentials",
        "-n",
        SYSTEM,
        "--from-file=credentials=" + credentials);
    Files.delete(credentials);

    URI endpoint = cluster.reachableFromPods(moto.endpoint());
    Instant installed = Instant.now();
    helm.succeed(
        "install",
        RELEASE,
        CHART.toString(),
        "-n",
        SYSTEM,
        "--set",
        "services={s3,sqs},image.repository=jack,image.tag=v0.1.0,image.pullPolicy=Never",
        "--set",
        "aws.region=us-east-1,aws.endpoint_url=" + endpoint + ",aws.endpoint_use_path_style=true",
        "--set",
        "aws.credentials.secretName=aws-credentials,deletionPolicy=retain");
    Pod first = awaitReadyPod(null);
    Duration podReady = Duration.between(installed, Instant.now());
    System.out.printf(
        "NodeIT: pod %s Ready %d ms after helm install%n",
        first.getMetadata().getName(), podReady.toMillis());
    assertThat(first.getStatus().getPodIP())
        .as("a pod address of the bridge")
        .startsWith("198.51.100.");

    String bucket = "node-bucket-" + System.currentTimeMillis();
    String queue = "node-queue-" + System.currentTimeMillis();
    Path manifests = Files.createTempFile("node-it", ".yaml");
    Files.writeString(
        manifests,
        """
        apiVersion: s3.services.k8s.aws/v1alpha1
        kind: Bucket
        metadata:
          name: node-bucket
          namespace: %s
        spec:
          name: %s
        ---
        apiVersion: sqs.services.k8s.aws/v1alpha1
        kind: Queue
        metadata:
          name: node-queue
          namespace: %s
        spec:
          queueName: %s
        """
            .formatted(APPS, bucket, APPS, queue));
    kubectl.succeed("apply", "-f", manifests.toString());
    Files.delete(manifests);
    awaitSynced();
    try (S3Client s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
        SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      s3.headBucket(b -> b.bucket(bucket));
      String queueUrl = sqs.getQueueUrl(q -> q.queueName(queue)).queueUrl();
      OptionalLong rss = cluster.podResidentBytes(first.getMetadata().getUid());
      System.out.printf(
          "NodeIT: the pod resides in %s after reconciling a Bucket and a Queue%n",
          rss.isPresent() ? (rss.getAsLong() >> 20) + " MiB" : "(no memory cgroup found)");

      // helm upgrade with a new value: the Deployment's template changes, the pod rolls.
      helm.succeed(
          "upgrade",
          RELEASE,
          CHART.toString(),
          "-n",
          SYSTEM,
          "--reuse-values",
          "--set",
          "log.level=debug");
      Pod second = awaitReadyPod(first);
      assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
      assertThat(replicaSet(second)).as("a new ReplicaSet").isNotEqualTo(replicaSet(first));
      assertThat(second.getSpec().getContainers().get(0).getArgs())
          .containsSubsequence("--log-level", "debug");
      assertThat(pod(first.getMetadata().getName())).as("the old pod is gone").isEmpty();
      awaitSynced();
      // The new pod reconciles: a change to the Queue reaches moto.
      kubectl.succeed(
          "patch",
          "queue",
          "node-queue",
          "-n",
          APPS,
          "--type=merge",
          "-p",
          "{\"spec\":{\"delaySeconds\":\"7\"}}");
      await()
          .atMost(SYNC_TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(
                          sqs.getQueueAttributes(
                                  a ->
                                      a.queueUrl(queueUrl)
                                          .attributeNames(QueueAttributeName.DELAY_SECONDS))
                              .attributes())
                      .containsEntry(QueueAttributeName.DELAY_SECONDS, "7"));

      // deletionPolicy retain: deleting the Queue resource leaves the queue.
      kubectl.succeed("delete", "queue", "node-queue", "-n", APPS, "--timeout=60s");
      assertThat(sqs.getQueueUrl(q -> q.queueName(queue)).queueUrl()).isEqualTo(queueUrl);
      String log = kubectl.succeed("logs", "-n", SYSTEM, second.getMetadata().getName());
      assertThat(log.lines().filter(line -> line.contains("\"level\":\"ERROR\"")))
          .as("the pod's log (read through the kubelet) has no error")
          .isEmpty();

      // helm uninstall: the pod goes; the bucket, the Bucket resource and the CRDs stay.
      helm.succeed("uninstall", RELEASE, "-n", SYSTEM, "--wait", "--timeout=120s");
      await().atMost(POD_TIMEOUT).until(() -> pods().isEmpty());
      s3.headBucket(b -> b.bucket(bucket));
      assertThat(sqs.getQueueUrl(q -> q.queueName(queue)).queueUrl()).isEqualTo(queueUrl);
      assertThat(
              client
                  .genericKubernetesResources("s3.services.k8s.aws/v1alpha1", "Bucket")
                  .inNamespace(APPS)
                  .withName("node-bucket")
                  .get())
          .as("the Bucket resource stays, with its finalizer, for a controller to come")
          .isNotNull();
      assertThat(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("buckets.s3.services.k8s.aws")
                  .get())
          .as("helm leaves the CRDs of crds/")
          .isNotNull();
    }
  }

  private static Path kubeconfig() {
    return cluster.kube().kubeconfig();
  }

  private static void awaitSynced() {
    ConditionWait wait = new ConditionWait(client);
    wait.until(
        "s3.services.k8s.aws/v1alpha1",
        "Bucket",
        APPS,
        "node-bucket",
        AckCondition.RESOURCE_SYNCED,
        "True",
        SYNC_TIMEOUT);
    wait.until(
        "sqs.services.k8s.aws/v1alpha1",
        "Queue",
        APPS,
        "node-queue",
        AckCondition.RESOURCE_SYNCED,
        "True",
        SYNC_TIMEOUT);
  }

  /** Waits for the release's one pod to be Ready, and (after an upgrade) {@code old} gone. */
  private static Pod awaitReadyPod(Pod old) {
    Instant deadline = Instant.now().plus(POD_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      List<Pod> pods = pods();
      if (pods.size() == 1
          && isReady(pods.get(0))
          && (old == null
              || !pods.get(0).getMetadata().getUid().equals(old.getMetadata().getUid()))) {
        return pods.get(0);
      }
      sleep(Duration.ofMillis(500));
    }
    throw new AssertionError(
        "no Ready pod of the release within "
            + POD_TIMEOUT.toSeconds()
            + "s:\n"
            + new ClusterCli(Binaries.fromEnvironment().kubectl(), kubeconfig())
                .run("describe", "pods", "-n", SYSTEM)
                .output()
            + "\n"
            + cluster.logTail("kubelet")
            + "\n"
            + cluster.logTail("containerd"));
  }

  private static List<Pod> pods() {
    return client
        .pods()
        .inNamespace(SYSTEM)
        .withLabel("app.kubernetes.io/instance", RELEASE)
        .list()
        .getItems();
  }

  private static Optional<Pod> pod(String name) {
    return Optional.ofNullable(client.pods().inNamespace(SYSTEM).withName(name).get());
  }

  private static boolean isReady(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String replicaSet(Pod pod) {
    return pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> "ReplicaSet".equals(o.getKind()))
        .map(OwnerReference::getName)
        .findFirst()
        .orElseThrow();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.api.core.IAMRoleSelector;
import dev.jack.api.core.IAMRoleSelectorSpec;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * ACK's cross-account resource management: a namespace annotated with an owner account gets its
 * resources in that account, through the IAM role the ConfigMap {@code ack-role-account-map} of the
 * controller's namespace maps it to. moto keeps accounts apart, so where a bucket lands is read
 * back with each account's own credentials.
 */
@JackIntegrationTest
class CarmIT {

  private static final String TEAM_ACCOUNT = "111111111111";
  private static final String OTHER_ACCOUNT = "222222222222";
  private static final String SELECTED_ACCOUNT = "333333333333";
  private static final String TEAM_ROLE_ACCOUNT = "444444444444";
  private static final String OWNER = "services.k8s.aws/owner-account-id";

  @Test
  void aMappedNamespaceCreatesInItsAccountAnUnmappedOneWaitsWithoutCallingAws(
      KubeApiServer kube, KubernetesClient client, TestNamespace team, MotoServer moto) {
    String system = namespace(client, "carm-system", Map.of());
    String unmapped = namespace(client, "carm-unmapped", Map.of(OWNER, OTHER_ACCOUNT));
    annotate(client, team.name(), Map.of(OWNER, TEAM_ACCOUNT));
    roleMap(client, system, "ack-role-account-map", Map.of(TEAM_ACCOUNT, role(TEAM_ACCOUNT)));
    String teamBucket = "carm-team-" + UUID.randomUUID().toString().substring(0, 8);
    String otherBucket = "carm-other-" + UUID.randomUUID().toString().substring(0, 8);
    try (RunningController controller =
        RunningController.start(kube, moto, flags -> flags.carm(true).systemNamespace(system))) {
      create(client, team.name(), "bucket", teamBucket);
      create(client, unmapped, "bucket", otherBucket);

      waitFor(client, team.name(), AckCondition.RESOURCE_SYNCED, "True");
      Bucket synced =
          client.resources(Bucket.class).inNamespace(team.name()).withName("bucket").get();
      assertThat(synced.getStatus().getAckResourceMetadata().getOwnerAccountID())
          .isEqualTo(TEAM_ACCOUNT);
      assertThat(buckets(moto, TEAM_ACCOUNT)).contains(teamBucket);
      assertThat(buckets(moto, OTHER_ACCOUNT)).doesNotContain(teamBucket);
      assertThat(buckets(moto, null)).as("the controller's own account").doesNotContain(teamBucket);

      // An account no role is mapped for: reported, and no AWS call for it.
      GenericKubernetesResource waiting =
          waitFor(client, unmapped, AckCondition.RECOVERABLE, "True");
      assertThat(Resources.conditionMessage(waiting, AckCondition.RECOVERABLE))
          .contains("owner-account-id=" + OTHER_ACCOUNT)
          .contains("maps no IAM role");
      assertThat(controller.calls("s3", "CreateBucket")).isEqualTo(1);

      // Mapped by the platform team, it heals on its own, in its account.
      client
          .configMaps()
          .inNamespace(system)
          .withName("ack-role-account-map")
          .edit(
              m -> {
                m.getData().put(OTHER_ACCOUNT, role(OTHER_ACCOUNT));
                return m;
              });
      waitFor(client, unmapped, AckCondition.RESOURCE_SYNCED, "True");
      assertThat(buckets(moto, OTHER_ACCOUNT)).contains(otherBucket);
      assertThat(buckets(moto, TEAM_ACCOUNT)).doesNotContain(otherBucket);

      // Each role is assumed once; its credentials are cached and refreshed by the SDK.
      assertThat(controller.calls("sts", "AssumeRole")).isEqualTo(2);

      for (String namespace : List.of(team.name(), unmapped)) {
        client.resources(Bucket.class).inNamespace(namespace).withName("bucket").delete();
        await()
            .atMost(Resources.TIMEOUT)
            .until(
                () ->
                    client.resources(Bucket.class).inNamespace(namespace).withName("bucket").get()
                        == null);
      }
      assertThat(buckets(moto, TEAM_ACCOUNT)).doesNotContain(teamBucket);
      assertThat(buckets(moto, OTHER_ACCOUNT)).doesNotContain(otherBucket);
    }
  }

  /**
   * With ServiceLevelCARM, a map's {@code <service>.<account>} entry gives that service's kinds a
   * role of their own; the other services keep the account's role. (AssumeRole's requests, seen by
   * a proxy, show which role each one asked for.)
   */
  @Test
  void withServiceLevelCarmAServiceTakesItsOwnRole(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    String system = namespace(client, "carm-system", Map.of());
    annotate(client, ns.name(), Map.of(OWNER, TEAM_ACCOUNT));
    String sqsRole = "arn:aws:iam::" + TEAM_ACCOUNT + ":role/sqs-only";
    roleMap(
        client,
        system,
        "ack-role-account-map",
        Map.of(TEAM_ACCOUNT, role(TEAM_ACCOUNT), "sqs." + TEAM_ACCOUNT, sqsRole));
    try (dev.jack.testenv.AwsProxy proxy = dev.jack.testenv.AwsProxy.start(moto.endpoint());
        RunningController controller =
            RunningController.start(
                kube,
                moto,
                flags ->
                    flags
                        .endpoint(proxy.endpoint())
                        .carm(true)
                        .systemNamespace(system)
                        .featureGates(
                            dev.jack.runtime.FeatureGates.parse("ServiceLevelCARM=true")))) {
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("queue", spec -> spec.setQueueName("service-" + ns.name()));
      create(
          client, ns.name(), "bucket", "service-" + UUID.randomUUID().toString().substring(0, 8));
      queues.waitFor("queue", AckCondition.RESOURCE_SYNCED, "True");
      waitFor(client, ns.name(), AckCondition.RESOURCE_SYNCED, "True");
      List<String> assumed =
          proxy.calls().stream()
              .filter(c -> c.operation().equals("AssumeRole"))
              .map(
                  c ->
                      java.net.URLDecoder.decode(
                          new String(c.body(), java.nio.charset.StandardCharsets.UTF_8),
                          java.nio.charset.StandardCharsets.UTF_8))
              .toList();
      assertThat(assumed).anyMatch(body -> body.contains("RoleArn=" + sqsRole));
      assertThat(assumed).anyMatch(body -> body.contains("RoleArn=" + role(TEAM_ACCOUNT)));
      queues.deleteAndWait("queue");
      client.resources(Bucket.class).inNamespace(ns.name()).withName("bucket").delete();
      await()
          .atMost(Resources.TIMEOUT)
          .until(
              () ->
                  client.resources(Bucket.class).inNamespace(ns.name()).withName("bucket").get()
                      == null);
    }
  }

  /** With TeamLevelCARM, a namespace's team-id selects its role from ack-role-team-map. */
  @Test
  void aTeamsNamespaceIsServedThroughTheTeamsRole(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    String system = namespace(client, "carm-system", Map.of());
    annotate(client, ns.name(), Map.of("services.k8s.aws/team-id", "payments"));
    roleMap(client, system, "ack-role-team-map", Map.of("payments", role(TEAM_ROLE_ACCOUNT)));
    try (RunningController controller =
            RunningController.start(
                kube,
                moto,
                flags ->
                    flags
                        .carm(true)
                        .systemNamespace(system)
                        .featureGates(dev.jack.runtime.FeatureGates.parse("TeamLevelCARM=true")));
        SqsClient team = sqs(moto, TEAM_ROLE_ACCOUNT)) {
      String queue = "team-" + ns.name();
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("queue", spec -> spec.setQueueName(queue));
      queues.waitFor("queue", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(queues.get("queue").getStatus().getAckResourceMetadata().getOwnerAccountID())
          .isEqualTo(TEAM_ROLE_ACCOUNT);
      assertThat(team.listQueues(b -> b.queueNamePrefix(queue)).queueUrls()).hasSize(1);
      queues.deleteAndWait("queue");
      assertThat(team.listQueues(b -> b.queueNamePrefix(queue)).queueUrls()).isEmpty();
    }
  }

  /**
   * With the IAMRoleSelector gate, the one selector that selects a resource (here by namespace and
   * kind) names the role; what no selector selects keeps the controller's own account, and a
   * resource two selectors select is reported, not guessed.
   */
  @Test
  void anIamRoleSelectorChoosesTheRoleOfTheKindsItSelects(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns, MotoServer moto) {
    selector(client, "queues-" + ns.name(), ns.name(), "Queue", role(SELECTED_ACCOUNT));
    try (RunningController controller =
            RunningController.start(
                kube,
                moto,
                flags ->
                    flags.featureGates(
                        dev.jack.runtime.FeatureGates.parse("IAMRoleSelector=true")));
        SqsClient selected = sqs(moto, SELECTED_ACCOUNT);
        SqsClient own = moto.configure(SqsClient.builder()).build()) {
      String queue = "selected-" + ns.name();
      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("queue", spec -> spec.setQueueName(queue));
      GenericKubernetesResource synced =
          queues.waitFor("queue", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(Resources.conditionMessage(synced, AckCondition.IAM_ROLE_SELECTED))
          .contains("queues-" + ns.name())
          .contains(role(SELECTED_ACCOUNT));
      assertThat(queues.get("queue").getStatus().getAckResourceMetadata().getOwnerAccountID())
          .isEqualTo(SELECTED_ACCOUNT);
      assertThat(selected.listQueues(b -> b.queueNamePrefix(queue)).queueUrls()).hasSize(1);
      assertThat(own.listQueues(b -> b.queueNamePrefix(queue)).queueUrls()).isEmpty();

      // A bucket of the same namespace is no Queue: the controller's own account.
      String bucket = "unselected-" + UUID.randomUUID().toString().substring(0, 8);
      create(client, ns.name(), "bucket", bucket);
      waitFor(client, ns.name(), AckCondition.RESOURCE_SYNCED, "True");
      assertThat(buckets(moto, null)).contains(bucket);

      // Two selectors of one queue: which role is meant is the platform team's call. (Each look
      // is asked for anew, until the controller has seen the second selector.)
      selector(client, "also-" + ns.name(), ns.name(), "Queue", role(OTHER_ACCOUNT));
      java.util.concurrent.atomic.AtomicInteger looks =
          new java.util.concurrent.atomic.AtomicInteger();
      await()
          .atMost(Resources.TIMEOUT)
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                queues.annotate(
                    "queue",
                    dev.jack.runtime.AwsResourceReconciler.REFRESH_ANNOTATION,
                    String.valueOf(looks.incrementAndGet()));
                String message =
                    Resources.conditionMessage(
                        client
                            .genericKubernetesResources("sqs.services.k8s.aws/v1alpha1", "Queue")
                            .inNamespace(ns.name())
                            .withName("queue")
                            .get(),
                        AckCondition.TERMINAL);
                return message != null && message.contains("all select this resource");
              });
      assertThat(controller.calls("sqs", "CreateQueue")).isEqualTo(1);
      client.resources(IAMRoleSelector.class).withName("also-" + ns.name()).delete();
      await()
          .atMost(Resources.TIMEOUT)
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                queues.annotate(
                    "queue",
                    dev.jack.runtime.AwsResourceReconciler.REFRESH_ANNOTATION,
                    String.valueOf(looks.incrementAndGet()));
                return "True"
                    .equals(
                        ConditionWait.conditionStatus(
                            client
                                .genericKubernetesResources(
                                    "sqs.services.k8s.aws/v1alpha1", "Queue")
                                .inNamespace(ns.name())
                                .withName("queue")
                                .get(),
                            AckCondition.RESOURCE_SYNCED));
              });
      queues.deleteAndWait("queue");
      client.resources(Bucket.class).inNamespace(ns.name()).withName("bucket").delete();
    } finally {
      client.resources(IAMRoleSelector.class).withName("queues-" + ns.name()).delete();
    }
  }

  private static void selector(
      KubernetesClient client, String name, String namespace, String kind, String arn) {
    IAMRoleSelectorSpec.NamespaceSelector namespaces = new IAMRoleSelectorSpec.NamespaceSelector();
    namespaces.setNames(List.of(namespace));
    IAMRoleSelectorSpec.ResourceType type = new IAMRoleSelectorSpec.ResourceType();
    type.setGroup("sqs.services.k8s.aws");
    type.setVersion("v1alpha1");
    type.setKind(kind);
    IAMRoleSelectorSpec spec = new IAMRoleSelectorSpec();
    spec.setArn(arn);
    spec.setNamespaceSelector(namespaces);
    spec.setResourceTypeSelector(List.of(type));
    IAMRoleSelector selector = new IAMRoleSelector();
    selector.setMetadata(new ObjectMetaBuilder().withName(name).build());
    selector.setSpec(spec);
    client.resources(IAMRoleSelector.class).resource(selector).create();
  }

  private static SqsClient sqs(MotoServer moto, String account) {
    return moto.configure(SqsClient.builder())
        .credentialsProvider(credentials(moto, account))
        .build();
  }

  private static StaticCredentialsProvider credentials(MotoServer moto, String account) {
    Credentials credentials;
    try (StsClient sts = moto.configure(StsClient.builder()).build()) {
      credentials =
          sts.assumeRole(b -> b.roleArn(role(account)).roleSessionName("test")).credentials();
    }
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(
            credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
  }

  private static void create(
      KubernetesClient client, String namespace, String name, String bucket) {
    BucketSpec spec = new BucketSpec();
    spec.setName(bucket);
    Bucket resource = new Bucket();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    resource.setSpec(spec);
    client.resources(Bucket.class).inNamespace(namespace).resource(resource).create();
  }

  private static GenericKubernetesResource waitFor(
      KubernetesClient client, String namespace, String type, String status) {
    return new ConditionWait(client)
        .until(
            "s3.services.k8s.aws/v1alpha1",
            "Bucket",
            namespace,
            "bucket",
            type,
            status,
            Resources.TIMEOUT);
  }

  /** The buckets of an account, listed with its own credentials (null: the default account). */
  private static List<String> buckets(MotoServer moto, String account) {
    software.amazon.awssdk.services.s3.S3ClientBuilder builder =
        moto.configure(S3Client.builder()).forcePathStyle(true);
    if (account != null) {
      builder.credentialsProvider(credentials(moto, account));
    }
    try (S3Client s3 = builder.build()) {
      return s3.listBuckets().buckets().stream().map(b -> b.name()).toList();
    }
  }

  /** Annotates a namespace, as a platform admin would. */
  private static void annotate(
      KubernetesClient client, String namespace, Map<String, String> annotations) {
    client
        .namespaces()
        .withName(namespace)
        .edit(
            n -> {
              n.getMetadata().setAnnotations(new HashMap<>(annotations));
              return n;
            });
  }

  /** A CARM ConfigMap ({@code ack-role-account-map}, {@code ack-role-team-map}) of the system. */
  private static void roleMap(
      KubernetesClient client, String system, String name, Map<String, String> roles) {
    client
        .configMaps()
        .inNamespace(system)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withData(roles)
                .build())
        .create();
  }

  private static String role(String account) {
    return "arn:aws:iam::" + account + ":role/ack-controller";
  }

  private static String namespace(
      KubernetesClient client, String prefix, Map<String, String> annotations) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withAnnotations(annotations)
                .endMetadata()
                .build())
        .create();
    return name;
  }
}

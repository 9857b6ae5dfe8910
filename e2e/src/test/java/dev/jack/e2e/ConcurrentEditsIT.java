package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.apigatewayv2.v1alpha1.API;
import dev.jack.services.apigatewayv2.v1alpha1.APISpec;
import dev.jack.services.ec2.v1alpha1.Tag;
import dev.jack.services.ec2.v1alpha1.VPC;
import dev.jack.services.ec2.v1alpha1.VPCSpec;
import dev.jack.services.iam.v1alpha1.Role;
import dev.jack.services.iam.v1alpha1.RoleSpec;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Api;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A user edits a resource while jack is in the middle of creating it: a proxy between jack and moto
 * holds the create call until the edit is done, so the race happens every time. jack's writes that
 * follow must neither lose what AWS assigned nor overwrite what the user set.
 */
@JackIntegrationTest
class ConcurrentEditsIT {

  private static final String TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  private static AwsProxy proxy;
  private static RunningController controller;

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    proxy = AwsProxy.start(moto.endpoint());
    controller = RunningController.start(kube, proxy.endpoint(), Duration.ofHours(10));
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller, proxy);
  }

  /** Loses the answer to the first call that matches, after AWS acted on it. */
  private static AwsProxy.FaultRule loseFirstAnswer(Predicate<AwsProxy.Call> match) {
    AtomicInteger left = new AtomicInteger(1);
    return proxy.inject(
        call -> match.test(call) && left.getAndDecrement() > 0, 1.0, AwsProxy.Fault.LOST_ANSWER);
  }

  /**
   * An API's ID is assigned by AWS: were it lost after the create, the next reconcile would find
   * nothing and create a second API. The user's edit makes jack's write of the ID meet a conflict.
   */
  @Test
  void anEditDuringTheCreateNeitherLosesTheIdNorCreatesTwice(
      KubernetesClient client, TestNamespace ns, MotoServer moto) throws Exception {
    String name = "jack-identity-" + ns.name();
    Predicate<AwsProxy.Call> createApi = createApi(name);
    AwsProxy.Gate create = proxy.hold(createApi);
    Resources<API, APISpec> apis = new Resources<>(client, ns, API.class, API::new, APISpec::new);
    apis.create(
        "held",
        spec -> {
          spec.setName(name);
          spec.setProtocolType("HTTP");
        });

    assertThat(create.awaitArrival(Duration.ofSeconds(60)))
        .as("jack calls CreateApi through the proxy")
        .isTrue();
    String before = apis.get("held").getMetadata().getResourceVersion();
    client
        .resources(API.class)
        .inNamespace(ns.name())
        .withName("held")
        .edit(
            api -> {
              if (api.getMetadata().getLabels() == null) {
                api.getMetadata().setLabels(new HashMap<>());
              }
              api.getMetadata().getLabels().put("team", "payments");
              return api;
            });
    assertThat(apis.get("held").getMetadata().getResourceVersion())
        .as("the edit changed the version jack read")
        .isNotEqualTo(before);
    create.release();

    apis.waitFor("held", AckCondition.RESOURCE_SYNCED, "True");

    List<Api> named = apisNamed(moto, name);
    assertThat(named).as("APIs named %s in AWS", name).hasSize(1);
    API resource = apis.get("held");
    assertThat(resource.getStatus().getApiID()).isEqualTo(named.get(0).apiId());
    assertThat(resource.getMetadata().getLabels()).containsEntry("team", "payments");
    assertThat(proxy.count(createApi)).as("CreateApi calls").isEqualTo(1);
    apis.convergesOnDriftCheck("held");
  }

  /**
   * The answer to CreateApi is lost after AWS made the API (a dropped connection, a crash): jack
   * cannot tell whether it happened, and AWS would make a second API for a second CreateApi. jack
   * tagged the create with the resource's UID; it finds that API by the tag (GetApis) and takes it,
   * instead of creating another.
   */
  @Test
  void aCreateWhoseAnswerIsLostIsFoundByItsTagNotMadeTwice(
      KubernetesClient client, TestNamespace ns, MotoServer moto) {
    String name = "jack-lost-" + ns.name();
    Predicate<AwsProxy.Call> createApi = createApi(name);
    AwsProxy.FaultRule lost = loseFirstAnswer(createApi);
    Resources<API, APISpec> apis = new Resources<>(client, ns, API.class, API::new, APISpec::new);
    apis.create(
        "lost",
        spec -> {
          spec.setName(name);
          spec.setProtocolType("HTTP");
        });
    apis.waitFor("lost", AckCondition.RESOURCE_SYNCED, "True");
    lost.stop();
    assertThat(lost.injected()).as("CreateApi answers lost").isEqualTo(1);

    List<Api> named = apisNamed(moto, name);
    assertThat(named).as("APIs named %s in AWS", name).hasSize(1);
    API resource = apis.get("lost");
    assertThat(named.get(0).tags()).containsEntry("jack.dev/uid", resource.getMetadata().getUid());
    assertThat(resource.getStatus().getApiID()).isEqualTo(named.get(0).apiId());
    assertThat(proxy.count(createApi)).as("CreateApi calls").isEqualTo(1);
    assertThat(proxy.count(call -> call.method().equals("GET") && call.path().equals("/v2/apis")))
        .as("GetApis, the find of the lost create")
        .isPositive();
    apis.convergesOnDriftCheck("lost");
    apis.deleteAndWait("lost");
  }

  /**
   * The answer to CreateBucket is lost after AWS made the bucket. A bucket is found again by its
   * name, and the claim jack wrote before the create (this resource's UID, the region and the
   * account, in one write with what it applies) tells it is jack's own, not another's of the same
   * name: it is taken over, not reported as existing, and not created again.
   */
  @Test
  void aBucketWhoseCreateAnswerIsLostIsKnownByItsClaim(
      KubernetesClient client, TestNamespace ns, MotoServer moto) {
    String name = "jack-claimed-" + ns.name();
    Predicate<AwsProxy.Call> createBucket =
        call ->
            call.method().equals("PUT")
                && call.path().equals("/" + name)
                && (call.query() == null || call.query().isEmpty());
    AwsProxy.FaultRule lost = loseFirstAnswer(createBucket);
    Resources<Bucket, BucketSpec> buckets =
        new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
    buckets.create("claimed", spec -> spec.setName(name));
    buckets.waitFor("claimed", AckCondition.RESOURCE_SYNCED, "True");
    lost.stop();
    assertThat(lost.injected()).as("CreateBucket answers lost").isEqualTo(1);
    assertThat(proxy.count(createBucket)).as("CreateBucket calls").isEqualTo(1);

    Bucket bucket = buckets.get("claimed");
    assertThat(bucket.getMetadata().getAnnotations().get("jack.dev/claim"))
        .as("the claim")
        .contains(bucket.getMetadata().getUid());
    assertThat(bucket.getStatus().getAckResourceMetadata().getOwnerAccountID())
        .isEqualTo(MotoServer.ACCOUNT_ID);
    try (S3Client s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build()) {
      assertThat(s3.listBuckets().buckets()).anyMatch(b -> b.name().equals(name));
      buckets.convergesOnDriftCheck("claimed");
      buckets.deleteAndWait("claimed");
      assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(name));
    }
  }

  /**
   * CreateVpc takes no idempotency token either: each call makes another VPC, which has no name to
   * find it by. jack's tags, the UID among them, go with the create itself (TagSpecifications), so
   * the VPC is never untagged; after a lost answer the find asks DescribeVpcs for that tag alone.
   */
  @Test
  void aLostCreateOfAnEc2KindIsFoundByTheTagItWasCreatedWith(
      KubernetesClient client, TestNamespace ns, MotoServer moto) {
    String team = "lost-" + ns.name();
    Predicate<AwsProxy.Call> createVpc =
        call ->
            call.operation().equals("CreateVpc")
                && new String(call.body(), java.nio.charset.StandardCharsets.UTF_8).contains(team);
    AwsProxy.FaultRule lost = loseFirstAnswer(createVpc);
    Resources<VPC, VPCSpec> vpcs = new Resources<>(client, ns, VPC.class, VPC::new, VPCSpec::new);
    vpcs.create(
        "lost",
        spec -> {
          spec.setCidrBlocks(List.of("10.42.0.0/16"));
          Tag tag = new Tag();
          tag.setKey("team");
          tag.setValue(team);
          spec.setTags(List.of(tag));
        });
    vpcs.waitFor("lost", AckCondition.RESOURCE_SYNCED, "True");
    lost.stop();
    assertThat(lost.injected()).as("CreateVpc answers lost").isEqualTo(1);

    List<Vpc> tagged = vpcsTagged(moto, team);
    assertThat(tagged).as("VPCs tagged team=%s in AWS", team).hasSize(1);
    Vpc vpc = tagged.get(0);
    VPC resource = vpcs.get("lost");
    assertThat(vpc.tags())
        .extracting(software.amazon.awssdk.services.ec2.model.Tag::key)
        .contains("jack.dev/uid", "services.k8s.aws/controller-version");
    assertThat(vpc.tags())
        .filteredOn(t -> t.key().equals("jack.dev/uid"))
        .extracting(software.amazon.awssdk.services.ec2.model.Tag::value)
        .containsExactly(resource.getMetadata().getUid());
    assertThat(resource.getStatus().getVpcID()).isEqualTo(vpc.vpcId());
    assertThat(proxy.count(createVpc)).as("CreateVpc calls").isEqualTo(1);
    assertThat(
            proxy.count(
                call ->
                    call.operation().equals("DescribeVpcs")
                        && new String(call.body(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("jack.dev")))
        .as("DescribeVpcs filtered by jack's tag, the find of the lost create")
        .isPositive();
    assertThat(
            proxy.count(
                call ->
                    call.operation().equals("CreateTags")
                        && new String(call.body(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains(vpc.vpcId())))
        .as("CreateTags calls: the tags went with the create")
        .isZero();
    vpcs.convergesOnDriftCheck("lost");
    vpcs.deleteAndWait("lost");
    assertThat(vpcsTagged(moto, team)).as("VPCs left after the delete").isEmpty();
  }

  /**
   * After a create jack copies AWS's defaults into the fields the spec leaves out (a role's
   * maxSessionDuration, 3600). The user sets maxSessionDuration while the create is in flight:
   * jack's late initialization must not overwrite it with AWS's default, and the next reconcile
   * applies it.
   */
  @Test
  void lateInitializationNeverOverwritesAnEditMadeMeanwhile(
      KubernetesClient client, TestNamespace ns, MotoServer moto) throws Exception {
    String name = "jack-late-" + ns.name();
    Predicate<AwsProxy.Call> createRole =
        call -> call.operation().equals("CreateRole") && new String(call.body()).contains(name);
    AwsProxy.Gate create = proxy.hold(createRole);
    Resources<Role, RoleSpec> roles =
        new Resources<>(client, ns, Role.class, Role::new, RoleSpec::new);
    roles.create(
        "late",
        spec -> {
          spec.setName(name);
          spec.setAssumeRolePolicyDocument(TRUST);
        });

    assertThat(create.awaitArrival(Duration.ofSeconds(60)))
        .as("jack calls CreateRole through the proxy")
        .isTrue();
    roles.edit("late", spec -> spec.setMaxSessionDuration(7200L));
    create.release();

    await()
        .atMost(Resources.TIMEOUT)
        .untilAsserted(
            () -> {
              Role role = roles.get("late");
              assertThat(role.getSpec().getPath()).as("late-initialized path").isEqualTo("/");
              assertThat(role.getStatus().getConditions())
                  .filteredOn(c -> "True".equals(c.getStatus()))
                  .extracting(c -> c.getType())
                  .contains(AckCondition.RESOURCE_SYNCED, AckCondition.LATE_INITIALIZED);
            });
    Role role = roles.get("late");
    assertThat(role.getSpec().getMaxSessionDuration()).as("the user's edit").isEqualTo(7200L);
    try (IamClient iam = moto.configure(IamClient.builder()).build()) {
      assertThat(iam.getRole(b -> b.roleName(name)).role().maxSessionDuration())
          .as("maxSessionDuration in AWS")
          .isEqualTo(7200);
    }
    assertThat(proxy.count(createRole)).as("CreateRole calls").isEqualTo(1);
    roles.convergesOnDriftCheck("late");
  }

  /** The CreateApi calls of the API of this name (the proxy serves every test of the class). */
  private static Predicate<AwsProxy.Call> createApi(String name) {
    return call ->
        call.method().equals("POST")
            && call.path().equals("/v2/apis")
            && new String(call.body(), java.nio.charset.StandardCharsets.UTF_8).contains(name);
  }

  /** The VPCs tagged team=value in AWS, read from moto directly. */
  private static List<Vpc> vpcsTagged(MotoServer moto, String team) {
    try (Ec2Client aws = moto.configure(Ec2Client.builder()).build()) {
      return aws.describeVpcs(b -> b.filters(f -> f.name("tag:team").values(team))).vpcs();
    }
  }

  /** The APIs of this name in AWS, read from moto directly. */
  private static List<Api> apisNamed(MotoServer moto, String name) {
    try (ApiGatewayV2Client aws = moto.configure(ApiGatewayV2Client.builder()).build()) {
      return aws.getApis(b -> b.maxResults("500")).items().stream()
          .filter(api -> api.name().equals(name))
          .toList();
    }
  }
}

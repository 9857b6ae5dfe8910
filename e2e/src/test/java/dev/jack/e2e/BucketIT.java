package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.s3.v1alpha1.CreateBucketConfiguration;
import dev.jack.services.s3.v1alpha1.ServerSideEncryptionByDefault;
import dev.jack.services.s3.v1alpha1.ServerSideEncryptionConfiguration;
import dev.jack.services.s3.v1alpha1.ServerSideEncryptionRule;
import dev.jack.services.s3.v1alpha1.Tag;
import dev.jack.services.s3.v1alpha1.Tagging;
import dev.jack.services.s3.v1alpha1.VersioningConfiguration;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The Bucket kind end to end: the controller, the real API server and moto's S3. */
@JackIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BucketIT {

  private static RunningController controller;
  private static S3Client s3;

  @BeforeAll
  static void startController(KubeApiServer kube, MotoServer moto) {
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
    s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
  }

  @AfterAll
  static void stopController() {
    if (controller != null) {
      controller.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  @Order(1)
  void theExampleAppliesWithKubectlAndReachesSynced(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    ClusterCli.kubectl(kube).succeed("apply", "-n", ns.name(), "-f", "../examples/s3/bucket.yaml");

    buckets.waitFor("example-bucket", AckCondition.RESOURCE_SYNCED, "True");

    String name = "jack-example-bucket";
    assertThat(s3.getBucketVersioning(b -> b.bucket(name)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    assertThat(
            s3.getBucketEncryption(b -> b.bucket(name))
                .serverSideEncryptionConfiguration()
                .rules()
                .get(0)
                .applyServerSideEncryptionByDefault()
                .sseAlgorithmAsString())
        .isEqualTo("AES256");
    assertThat(tags(name))
        .containsEntry("team", "platform")
        .containsEntry("services.k8s.aws/namespace", ns.name())
        .containsKey("services.k8s.aws/controller-version");
    Bucket bucket = buckets.get("example-bucket");
    assertThat(bucket.getMetadata().getFinalizers())
        .contains("finalizers.s3.services.k8s.aws/Bucket");
    assertThat(bucket.getStatus().getAckResourceMetadata().getArn())
        .isEqualTo("arn:aws:s3:::" + name);
    assertThat(bucket.getStatus().getAckResourceMetadata().getOwnerAccountID())
        .isEqualTo(MotoServer.ACCOUNT_ID);
    // jack reads and writes objects without their managedFields: its writes leave the API
    // server's record of who set which field as it was, kubectl's entry with it.
    assertThat(bucket.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .contains("kubectl-client-side-apply", AwsResourceReconciler.FIELD_MANAGER);
    buckets.awaitEvent("example-bucket", "Created");

    buckets.deleteAndWait("example-bucket");
    assertThat(bucketExists(name)).isFalse();
  }

  /**
   * A configuration of the spec, as YAML, and how to see it in S3. Request payment and the
   * analytics, metrics and intelligent-tiering configurations are not here: moto accepts their puts
   * but does not return them.
   */
  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of(
            "cors",
            """
            cors:
              corsRules:
                - allowedMethods: [GET]
                  allowedOrigins: ["https://example.com"]
                  maxAgeSeconds: 300
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getBucketCors(b -> b.bucket(name))
                                .corsRules()
                                .get(0)
                                .allowedOrigins())
                        .containsExactly("https://example.com")),
        Arguments.of(
            "lifecycle",
            """
            lifecycle:
              rules:
                - id: expire-logs
                  status: Enabled
                  filter:
                    prefix: logs/
                  expiration:
                    days: 30
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getBucketLifecycleConfiguration(b -> b.bucket(name))
                                .rules()
                                .get(0)
                                .expiration()
                                .days())
                        .isEqualTo(30)),
        Arguments.of(
            "policy",
            """
            policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*"}]}'
            """,
            (Consumer<String>)
                name ->
                    assertThat(s3.getBucketPolicy(b -> b.bucket(name)).policy())
                        .contains("s3:GetObject")),
        Arguments.of(
            "publicAccessBlock",
            """
            publicAccessBlock:
              blockPublicACLs: true
              blockPublicPolicy: true
              ignorePublicACLs: true
              restrictPublicBuckets: true
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getPublicAccessBlock(b -> b.bucket(name))
                                .publicAccessBlockConfiguration()
                                .blockPublicPolicy())
                        .isTrue()),
        Arguments.of(
            "ownershipControls",
            """
            ownershipControls:
              rules:
                - objectOwnership: BucketOwnerEnforced
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getBucketOwnershipControls(b -> b.bucket(name))
                                .ownershipControls()
                                .rules()
                                .get(0)
                                .objectOwnershipAsString())
                        .isEqualTo("BucketOwnerEnforced")),
        Arguments.of(
            "website",
            """
            website:
              indexDocument:
                suffix: index.html
              errorDocument:
                key: error.html
            """,
            (Consumer<String>)
                name ->
                    assertThat(s3.getBucketWebsite(b -> b.bucket(name)).indexDocument().suffix())
                        .isEqualTo("index.html")),
        Arguments.of(
            "accelerate",
            """
            accelerate:
              status: Enabled
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getBucketAccelerateConfiguration(b -> b.bucket(name))
                                .statusAsString())
                        .isEqualTo("Enabled")),
        Arguments.of(
            "logging",
            """
            logging:
              loggingEnabled:
                targetBucket: %s-logs
                targetPrefix: access/
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getBucketLogging(b -> b.bucket(name))
                                .loggingEnabled()
                                .targetPrefix())
                        .isEqualTo("access/")),
        Arguments.of(
            "notification",
            """
            notification:
              queueConfigurations:
                - id: created
                  queueARN: arn:aws:sqs:us-east-1:123456789012:jack-notifications
                  events: ["s3:ObjectCreated:*"]
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.getBucketNotificationConfiguration(b -> b.bucket(name))
                                .queueConfigurations())
                        .hasSize(1)),
        Arguments.of(
            "inventory",
            """
            inventory:
              - id: weekly
                isEnabled: true
                includedObjectVersions: All
                schedule:
                  frequency: Weekly
                destination:
                  s3BucketDestination:
                    bucket: arn:aws:s3:::%s
                    format: CSV
            """,
            (Consumer<String>)
                name ->
                    assertThat(
                            s3.listBucketInventoryConfigurations(b -> b.bucket(name))
                                .inventoryConfigurationList())
                        .hasSize(1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  @Order(2)
  void eachConfigurationIsAddedToABucketAndConverges(
      String field,
      String yaml,
      Consumer<String> check,
      KubeApiServer kube,
      KubernetesClient client,
      TestNamespace ns)
      throws IOException {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "cfg-" + ns.name().substring(ns.name().length() - 8) + "-" + field.toLowerCase();
    if (field.equals("logging")) {
      // S3 delivers access logs only to a bucket that lets the log delivery group write.
      s3.createBucket(b -> b.bucket(name + "-logs").acl("log-delivery-write"));
    }
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    kubectl.succeed("apply", "--validate=strict", "-n", ns.name(), "-f", bucketManifest(name, ""));
    buckets.waitFor("configured", AckCondition.RESOURCE_SYNCED, "True");

    String spec = yaml.formatted(name).lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
    kubectl.succeed(
        "apply", "--validate=strict", "-n", ns.name(), "-f", bucketManifest(name, spec));

    await().atMost(Resources.TIMEOUT).ignoreExceptions().untilAsserted(() -> check.accept(name));
    await()
        .atMost(Resources.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(buckets.events("configured"))
                    .anyMatch(
                        e -> e.getReason().equals("Updated") && e.getMessage().contains(field)));

    // Converged: a drift check writes nothing.
    Map<String, Long> before = controller.callsByOperation("s3");
    // The drift check completes and updates nothing; its calls only read.
    buckets.convergesOnDriftCheck("configured");
    Map<String, Long> resync =
        Resources.difference(before, Resources.settled(() -> controller.callsByOperation("s3")));
    assertThat(resync.keySet())
        .allMatch(op -> op.startsWith("Get") || op.startsWith("List") || op.startsWith("Head"));
    buckets.deleteAndWait("configured");
  }

  @Test
  @Order(3)
  void driftInAwsIsRepairedAtTheResync(KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "drift-" + ns.name().substring(ns.name().length() - 8);
    buckets.create(
        "drift",
        spec -> {
          spec.setName(name);
          spec.setVersioning(versioning("Enabled"));
        },
        Map.of(AwsResourceReconciler.RESYNC_ANNOTATION, "2"));
    buckets.waitFor("drift", AckCondition.RESOURCE_SYNCED, "True");

    s3.putBucketVersioning(
        b ->
            b.bucket(name)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));

    await()
        .atMost(Resources.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(s3.getBucketVersioning(b -> b.bucket(name)).status())
                    .isEqualTo(BucketVersioningStatus.ENABLED));
    buckets.deleteAndWait("drift");
  }

  @Test
  @Order(3)
  void whatJackAppliedAndTheSpecDropsIsRemovedAndNothingElse(
      KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "owned-" + ns.name().substring(ns.name().length() - 8);
    buckets.create(
        "owned",
        spec -> {
          spec.setName(name);
          spec.setTagging(tagging("team", "platform"));
          spec.setWebsite(website("index.html"));
        });
    buckets.waitFor("owned", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(s3.getBucketWebsite(b -> b.bucket(name)).indexDocument().suffix())
        .isEqualTo("index.html");
    // Another tool tags the bucket.
    Map<String, String> withForeign = new java.util.HashMap<>(tags(name));
    withForeign.put("cost-center", "42");
    s3.putBucketTagging(
        b ->
            b.bucket(name)
                .tagging(
                    t ->
                        t.tagSet(
                            withForeign.entrySet().stream()
                                .map(
                                    e ->
                                        software.amazon.awssdk.services.s3.model.Tag.builder()
                                            .key(e.getKey())
                                            .value(e.getValue())
                                            .build())
                                .toList())));

    buckets.edit(
        "owned",
        spec -> {
          spec.setTagging(null);
          spec.setWebsite(null);
        });

    await()
        .atMost(Resources.TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(tags(name))
                  .doesNotContainKey("team")
                  .containsEntry("cost-center", "42")
                  .containsKey("services.k8s.aws/namespace");
              assertThat(websiteExists(name)).isFalse();
            });
    buckets.waitFor("owned", AckCondition.RESOURCE_SYNCED, "True");
    buckets.deleteAndWait("owned");
  }

  @Test
  @Order(4)
  void theRetainPolicyOfTheNamespaceKeepsTheBucket(KubernetesClient client, TestNamespace ns) {
    client
        .namespaces()
        .withName(ns.name())
        .edit(
            n -> {
              n.getMetadata()
                  .setAnnotations(Map.of("s3.services.k8s.aws/deletion-policy", "retain"));
              return n;
            });
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "retained-" + ns.name().substring(ns.name().length() - 8);
    buckets.create("retained", spec -> spec.setName(name));
    buckets.waitFor("retained", AckCondition.RESOURCE_SYNCED, "True");

    buckets.deleteAndWait("retained");

    assertThat(bucketExists(name)).isTrue();
    buckets.awaitEvent("retained", "Retained");
  }

  @Test
  @Order(5)
  void anInvalidNameIsRejectedAtApplyNamingTheRule(KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);

    assertThatThrownBy(() -> buckets.create("invalid", spec -> spec.setName("Invalid_Bucket_Name")))
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .hasMessageContaining("spec.name")
        .hasMessageContaining("must be lower-case letters, digits, dots and hyphens");
    assertThat(s3.listBuckets().buckets())
        .noneMatch(b -> b.name().equalsIgnoreCase("Invalid_Bucket_Name"));
  }

  @Test
  @Order(5)
  void aSpecAwsRefusesIsTerminalWithAwsMessageAndCreatesNothing(
      KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "refused-" + ns.name().substring(ns.name().length() - 8);
    // The CRD takes it; AWS refuses us-east-1 as a location constraint (it is the default).
    buckets.create(
        "refused",
        spec -> {
          spec.setName(name);
          CreateBucketConfiguration location = new CreateBucketConfiguration();
          location.setLocationConstraint("us-east-1");
          spec.setCreateBucketConfiguration(location);
        });

    GenericKubernetesResource terminal = buckets.waitFor("refused", AckCondition.TERMINAL, "True");

    assertThat(Resources.conditionMessage(terminal, AckCondition.TERMINAL))
        .startsWith("InvalidLocationConstraint: ");
    assertThat(bucketExists(name)).isFalse();
    buckets.deleteAndWait("refused");
  }

  @Test
  @Order(6)
  void aBucketCreatedBeforeACrashIsFoundNotCreatedAgain(KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "crashed-" + ns.name().substring(ns.name().length() - 8);
    s3.createBucket(b -> b.bucket(name));
    long creates = controller.calls("s3", "CreateBucket");

    // As if the controller had claimed the bucket (region and account in the status, written
    // before its create), created it and stopped: the claim says it is jack's. Paused while the
    // claim is written, so that no reconcile sees the bucket unclaimed.
    buckets.create(
        "crashed",
        spec -> {
          spec.setName(name);
          spec.setVersioning(versioning("Enabled"));
        },
        Map.of(AwsResourceReconciler.PAUSE_ANNOTATION, "true"));
    buckets.waitFor("crashed", AwsResourceReconciler.PAUSED_CONDITION, "True");
    client
        .resources(Bucket.class)
        .inNamespace(ns.name())
        .withName("crashed")
        .editStatus(
            b -> {
              dev.jack.api.AckResourceMetadata claim = new dev.jack.api.AckResourceMetadata();
              claim.setRegion("us-east-1");
              claim.setOwnerAccountID(MotoServer.ACCOUNT_ID);
              b.getStatus().setAckResourceMetadata(claim);
              return b;
            });
    buckets.annotate("crashed", AwsResourceReconciler.PAUSE_ANNOTATION, null);
    buckets.waitFor("crashed", AckCondition.RESOURCE_SYNCED, "True");

    assertThat(controller.calls("s3", "CreateBucket")).isEqualTo(creates);
    assertThat(s3.getBucketVersioning(b -> b.bucket(name)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    buckets.deleteAndWait("crashed");
  }

  @Test
  @Order(7)
  void callsPerCreateResyncAndDelete(KubernetesClient client, TestNamespace ns) {
    Resources<Bucket, BucketSpec> buckets = buckets(client, ns);
    String name = "counted-" + ns.name().substring(ns.name().length() - 8);
    Map<String, Long> before = controller.callsByOperation("s3");
    buckets.create(
        "counted",
        spec -> {
          spec.setName(name);
          spec.setVersioning(versioning("Enabled"));
          spec.setEncryption(aes256());
          spec.setTagging(tagging("team", "platform"));
        });
    buckets.waitFor("counted", AckCondition.RESOURCE_SYNCED, "True");
    Map<String, Long> afterCreate = Resources.settled(() -> controller.callsByOperation("s3"));

    // One on-demand drift check, as a resync makes it, which completes and updates nothing.
    buckets.convergesOnDriftCheck("counted");
    Map<String, Long> afterResync = Resources.settled(() -> controller.callsByOperation("s3"));

    buckets.deleteAndWait("counted");
    Map<String, Long> afterDelete = controller.callsByOperation("s3");

    Map<String, Long> create = Resources.difference(before, afterCreate);
    Map<String, Long> resync = Resources.difference(afterCreate, afterResync);
    Map<String, Long> delete = Resources.difference(afterResync, afterDelete);
    System.out.printf(
        "S3 Bucket AWS calls (versioning, encryption, tags): create %s; one resync %s; delete %s%n",
        create, resync, delete);
    assertThat(create).containsEntry("CreateBucket", 1L);
    assertThat(resync.keySet()).allMatch(op -> op.startsWith("Get") || op.startsWith("Head"));
    assertThat(delete).containsEntry("DeleteBucket", 1L);
    // The figures docs/controller.md states: 9 calls (4 writes), 4 reads, 3 calls.
    assertThat(create.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(9);
    assertThat(create.keySet().stream().filter(op -> !Resources.isRead(op))).hasSize(4);
    assertThat(resync.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
    assertThat(delete.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
  }

  // --- helpers ---

  private static String bucketManifest(String name, String spec) throws IOException {
    Path manifest = Files.createTempFile("bucket", ".yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: s3.services.k8s.aws/v1alpha1
        kind: Bucket
        metadata:
          name: configured
        spec:
          name: %s
        %s
        """
            .formatted(name, spec));
    return manifest.toString();
  }

  private static Resources<Bucket, BucketSpec> buckets(KubernetesClient client, TestNamespace ns) {
    return new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
  }

  private static VersioningConfiguration versioning(String status) {
    VersioningConfiguration versioning = new VersioningConfiguration();
    versioning.setStatus(status);
    return versioning;
  }

  private static ServerSideEncryptionConfiguration aes256() {
    ServerSideEncryptionByDefault byDefault = new ServerSideEncryptionByDefault();
    byDefault.setSseAlgorithm("AES256");
    ServerSideEncryptionRule rule = new ServerSideEncryptionRule();
    rule.setApplyServerSideEncryptionByDefault(byDefault);
    ServerSideEncryptionConfiguration encryption = new ServerSideEncryptionConfiguration();
    encryption.setRules(List.of(rule));
    return encryption;
  }

  private static Tagging tagging(String key, String value) {
    Tag tag = new Tag();
    tag.setKey(key);
    tag.setValue(value);
    Tagging tagging = new Tagging();
    tagging.setTagSet(List.of(tag));
    return tagging;
  }

  private static Map<String, String> tags(String bucket) {
    return s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
        .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
  }

  private static dev.jack.services.s3.v1alpha1.WebsiteConfiguration website(String index) {
    dev.jack.services.s3.v1alpha1.IndexDocument document =
        new dev.jack.services.s3.v1alpha1.IndexDocument();
    document.setSuffix(index);
    dev.jack.services.s3.v1alpha1.WebsiteConfiguration website =
        new dev.jack.services.s3.v1alpha1.WebsiteConfiguration();
    website.setIndexDocument(document);
    return website;
  }

  private static boolean websiteExists(String bucket) {
    try {
      s3.getBucketWebsite(b -> b.bucket(bucket));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static boolean bucketExists(String name) {
    try {
      s3.headBucket(b -> b.bucket(name));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}

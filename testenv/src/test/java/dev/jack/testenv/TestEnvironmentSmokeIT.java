package dev.jack.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Proves that the test environment's parts are the real ones, each doing what only it can. */
@JackIntegrationTest
class TestEnvironmentSmokeIT {

  private static final String GROUP = "smoke.jack.dev";
  private static final String API_VERSION = GROUP + "/v1";

  @BeforeAll
  static void installWidgetCrd(KubernetesClient client) {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("widgets." + GROUP)
            .endMetadata()
            .withNewSpec()
            .withGroup(GROUP)
            .withScope("Namespaced")
            .withNewNames()
            .withKind("Widget")
            .withPlural("widgets")
            .withSingular("widget")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withOpenAPIV3Schema(
                new JSONSchemaPropsBuilder()
                    .withType("object")
                    .addToProperties(
                        "spec",
                        new JSONSchemaPropsBuilder()
                            .withType("object")
                            .addToProperties(
                                "replicas",
                                new JSONSchemaPropsBuilder().withType("integer").build())
                            .withXKubernetesValidations(
                                new ValidationRuleBuilder()
                                    .withRule("self.replicas <= 5")
                                    .withMessage("replicas may be at most 5")
                                    .build())
                            .build())
                    .addToProperties(
                        "status",
                        new JSONSchemaPropsBuilder()
                            .withType("object")
                            .withXKubernetesPreserveUnknownFields(true)
                            .build())
                    .build())
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    Crds.install(client, List.of(crd));
  }

  @Test
  void celValidationRuleRejectsAViolatingObject(KubernetesClient client, TestNamespace ns) {
    assertThatThrownBy(() -> client.resource(widget(ns, "too-many", 6)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("replicas may be at most 5");
            });

    GenericKubernetesResource accepted = client.resource(widget(ns, "just-right", 5)).create();
    assertThat(accepted.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void serverSideApplyRecordsTheFieldManager(KubernetesClient client, TestNamespace ns) {
    ConfigMap desired =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("applied")
            .withNamespace(ns.name())
            .endMetadata()
            .addToData("color", "blue")
            .build();
    client.configMaps().resource(desired).fieldManager("jack-smoke").serverSideApply();

    desired.getData().put("size", "large");
    ConfigMap applied =
        client.configMaps().resource(desired).fieldManager("jack-smoke").serverSideApply();

    assertThat(applied.getData()).containsEntry("color", "blue").containsEntry("size", "large");
    assertThat(applied.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .contains(org.assertj.core.groups.Tuple.tuple("jack-smoke", "Apply"));
  }

  @Test
  void serviceAccountHasOnlyWhatRbacGrants(
      KubeApiServer kube, KubernetesClient admin, TestNamespace ns) {
    try (KubernetesClient robot = kube.newServiceAccountClient(ns.name(), "robot")) {
      assertThatThrownBy(() -> robot.configMaps().inNamespace(ns.name()).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

      admin
          .rbac()
          .roles()
          .inNamespace(ns.name())
          .resource(
              new RoleBuilder()
                  .withNewMetadata()
                  .withName("configmap-reader")
                  .endMetadata()
                  .addNewRule()
                  .withApiGroups("")
                  .withResources("configmaps")
                  .withVerbs("list")
                  .endRule()
                  .build())
          .create();
      admin
          .rbac()
          .roleBindings()
          .inNamespace(ns.name())
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName("robot-reads-configmaps")
                  .endMetadata()
                  .withNewRoleRef("rbac.authorization.k8s.io", "Role", "configmap-reader")
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName("robot")
                  .withNamespace(ns.name())
                  .endSubject()
                  .build())
          .create();

      assertThat(robot.configMaps().inNamespace(ns.name()).list().getItems()).isEmpty();
      assertThatThrownBy(() -> robot.secrets().inNamespace(ns.name()).list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  @Test
  void kubectlTalksToTheApiServer(KubeApiServer kube, TestNamespace ns) {
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    String version = kubectl.succeed("version", "-o", "json");
    assertThat(version).contains("\"serverVersion\"").contains("\"gitVersion\": \"v1.");

    String applied =
        kubectl.succeed(
            "create",
            "configmap",
            "from-kubectl",
            "--namespace",
            ns.name(),
            "--from-literal=origin=kubectl",
            "-o",
            "name");
    assertThat(applied.trim()).isEqualTo("configmap/from-kubectl");
  }

  @Test
  void conditionWaitExplainsWhatItSawWhenTheConditionNeverComes(
      KubernetesClient client, TestNamespace ns) {
    GenericKubernetesResource stuck = widget(ns, "stuck", 1);
    stuck.setAdditionalProperty(
        "status",
        Map.of(
            "conditions",
            List.of(Map.of("type", "Ready", "status", "False", "message", "waiting for godot"))));
    client.resource(stuck).create();

    ConditionWait wait = new ConditionWait(client);
    assertThatThrownBy(
            () ->
                wait.until(
                    API_VERSION,
                    "Widget",
                    ns.name(),
                    "stuck",
                    "Ready",
                    "True",
                    Duration.ofSeconds(1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Widget " + ns.name() + "/stuck did not reach condition Ready=True")
        .hasMessageContaining("waiting for godot");

    GenericKubernetesResource seen =
        wait.until(
            API_VERSION, "Widget", ns.name(), "stuck", "Ready", "False", Duration.ofSeconds(5));
    assertThat(seen.getMetadata().getName()).isEqualTo("stuck");
  }

  @Test
  void s3BucketAndSqsQueueRoundTripThroughMoto(MotoServer moto) {
    try (S3Client s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
        SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
      s3.createBucket(b -> b.bucket("jack-smoke-bucket"));
      assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains("jack-smoke-bucket");
      s3.headBucket(b -> b.bucket("jack-smoke-bucket"));

      String queueUrl = sqs.createQueue(q -> q.queueName("jack-smoke-queue")).queueUrl();
      assertThat(queueUrl).endsWith("/" + MotoServer.ACCOUNT_ID + "/jack-smoke-queue");
      assertThat(sqs.getQueueUrl(q -> q.queueName("jack-smoke-queue")).queueUrl())
          .isEqualTo(queueUrl);
    }
  }

  private static GenericKubernetesResource widget(TestNamespace ns, String name, int replicas) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind("Widget")
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns.name())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("replicas", replicas)))
        .build();
  }
}

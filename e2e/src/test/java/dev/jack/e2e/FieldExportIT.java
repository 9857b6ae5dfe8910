package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.api.core.FieldExport;
import dev.jack.api.core.FieldExportSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ConditionWait;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ACK's FieldExport: a field of a synced resource is copied into a ConfigMap or Secret, kept
 * current when the resource changes, and every mistake (a missing resource, target or path, a
 * foreign namespace) is reported on the FieldExport.
 */
@JackIntegrationTest
class FieldExportIT {

  private static final String API_VERSION = "services.k8s.aws/v1alpha1";

  private static RunningController controller;

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    controller = RunningController.start(kube, moto, Duration.ofHours(10));
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller);
  }

  @Test
  void aQueuesUrlAndArnReachAConfigMapAndASecretAndFollowChanges(
      KubeApiServer kube, KubernetesClient client, TestNamespace ns) throws Exception {
    configMap(client, ns, "queue-config");
    client
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withMetadata(meta(ns, "queue-secret"))
                .withData(Map.of("other", b64("kept")))
                .build())
        .create();
    // Applied with kubectl as ACK's users write them: the export waits for the queue to sync.
    java.nio.file.Path manifest = java.nio.file.Files.createTempFile("fieldexports", ".yaml");
    java.nio.file.Files.writeString(
        manifest,
        """
            apiVersion: services.k8s.aws/v1alpha1
            kind: FieldExport
            metadata:
              name: queue-url
            spec:
              from:
                resource: {group: sqs.services.k8s.aws, kind: Queue, name: orders}
                path: .status.queueURL
              to: {kind: configmap, name: queue-config}
            ---
            apiVersion: services.k8s.aws/v1alpha1
            kind: FieldExport
            metadata:
              name: queue-arn
            spec:
              from:
                resource: {group: sqs.services.k8s.aws, kind: Queue, name: orders}
                path: .status.ackResourceMetadata.arn
              to: {kind: secret, name: queue-secret, key: QUEUE_ARN}
            ---
            apiVersion: services.k8s.aws/v1alpha1
            kind: FieldExport
            metadata:
              name: queue-timeout
            spec:
              from:
                resource: {group: sqs.services.k8s.aws, kind: Queue, name: orders}
                path: .spec.visibilityTimeout
              to: {kind: configmap, name: queue-config, key: VISIBILITY_TIMEOUT}
            """);
    ClusterCli.kubectl(kube).succeed("apply", "-n", ns.name(), "-f", manifest.toString());
    GenericKubernetesResource waiting = waitFor(client, ns, "queue-url", "ACK.Recoverable", "True");
    assertThat(Resources.conditionMessage(waiting, AckCondition.RECOVERABLE))
        .contains("Queue orders does not exist");

    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    queues.create(
        "orders",
        spec -> {
          spec.setQueueName("orders-" + ns.name());
          spec.setVisibilityTimeout("30");
        });
    queues.waitFor("orders", AckCondition.RESOURCE_SYNCED, "True");
    Queue queue = queues.get("orders");

    waitFor(client, ns, "queue-url", AckCondition.RESOURCE_SYNCED, "True");
    waitFor(client, ns, "queue-arn", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(data(client, ns, "queue-config"))
        .containsEntry(ns.name() + ".queue-url", queue.getStatus().getQueueURL());
    Map<String, String> secret =
        client.secrets().inNamespace(ns.name()).withName("queue-secret").get().getData();
    assertThat(secret)
        .containsEntry("QUEUE_ARN", b64(queue.getStatus().getAckResourceMetadata().getArn()))
        .containsEntry("other", b64("kept"));
    assertThat(
            client.resources(FieldExport.class).inNamespace(ns.name()).withName("queue-url").get())
        .satisfies(
            fe ->
                assertThat(fe.getMetadata().getFinalizers())
                    .containsExactly("finalizers.services.k8s.aws/FieldExport"));

    // A change of the resource reaches the target when the resource syncs.
    await()
        .atMost(Resources.TIMEOUT)
        .until(() -> "30".equals(data(client, ns, "queue-config").get("VISIBILITY_TIMEOUT")));
    queues.edit("orders", spec -> spec.setVisibilityTimeout("45"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "45".equals(data(client, ns, "queue-config").get("VISIBILITY_TIMEOUT")));

    client.resources(FieldExport.class).inNamespace(ns.name()).withName("queue-url").delete();
    await()
        .atMost(Resources.TIMEOUT)
        .until(
            () ->
                client
                        .resources(FieldExport.class)
                        .inNamespace(ns.name())
                        .withName("queue-url")
                        .get()
                    == null);
    queues.deleteAndWait("orders");
  }

  @Test
  void mistakesAreReportedAndAFixedTargetIsWritten(KubernetesClient client, TestNamespace ns) {
    Resources<Queue, QueueSpec> queues =
        new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
    queues.create("source", spec -> spec.setQueueName("source-" + ns.name()));
    queues.waitFor("source", AckCondition.RESOURCE_SYNCED, "True");

    create(client, ns, "no-target", ".status.queueURL", "configmap", "missing", null);
    create(client, ns, "bad-path", ".status.queueUrl", "configmap", "present", null);
    create(client, ns, "object", ".status", "configmap", "present", null);
    create(client, ns, "elsewhere", ".status.queueURL", "configmap", "present", "kube-system");
    configMap(client, ns, "present");

    assertThat(message(waitFor(client, ns, "no-target", "ACK.Recoverable", "True"), "Recoverable"))
        .contains("ConfigMap missing does not exist");
    assertThat(message(waitFor(client, ns, "bad-path", "ACK.Terminal", "True"), "Terminal"))
        .contains("'.status.queueUrl' selects nothing");
    assertThat(message(waitFor(client, ns, "object", "ACK.Terminal", "True"), "Terminal"))
        .contains("selects an object");
    assertThat(message(waitFor(client, ns, "elsewhere", "ACK.Terminal", "True"), "Terminal"))
        .contains("needs the controller's --enable-cross-namespace=true");
    assertThat(client.configMaps().inNamespace("kube-system").withName("present").get()).isNull();

    // Created later, the target is written at the next look (the backoff starts at 3 s).
    configMap(client, ns, "missing");
    waitFor(client, ns, "no-target", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(data(client, ns, "missing"))
        .containsEntry(ns.name() + ".no-target", queues.get("source").getStatus().getQueueURL());
    assertThat(data(client, ns, "present")).isEmpty();

    // A FieldExport of a kind no controller here serves is left to its own controller: no
    // finalizer, no status, while one created after it is served.
    create(client, ns, "foreign", "example.com", ".status.x", "configmap", "present", null);
    create(client, ns, "after", ".status.queueURL", "configmap", "present", null);
    waitFor(client, ns, "after", AckCondition.RESOURCE_SYNCED, "True");
    FieldExport untouched =
        client.resources(FieldExport.class).inNamespace(ns.name()).withName("foreign").get();
    assertThat(untouched.getStatus()).isNull();
    assertThat(untouched.getMetadata().getFinalizers()).isEmpty();
    queues.deleteAndWait("source");
  }

  private static void create(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      String path,
      String kind,
      String target,
      String targetNamespace) {
    create(client, ns, name, "sqs.services.k8s.aws", path, kind, target, targetNamespace);
  }

  private static void create(
      KubernetesClient client,
      TestNamespace ns,
      String name,
      String group,
      String path,
      String kind,
      String target,
      String targetNamespace) {
    FieldExportSpec.Resource resource = new FieldExportSpec.Resource();
    resource.setGroup(group);
    resource.setKind("Queue");
    resource.setName("source");
    FieldExportSpec.Source from = new FieldExportSpec.Source();
    from.setResource(resource);
    from.setPath(path);
    FieldExportSpec.Target to = new FieldExportSpec.Target();
    to.setKind(kind);
    to.setName(target);
    to.setNamespace(targetNamespace);
    FieldExportSpec spec = new FieldExportSpec();
    spec.setFrom(from);
    spec.setTo(to);
    FieldExport export = new FieldExport();
    export.setMetadata(meta(ns, name));
    export.setSpec(spec);
    client.resources(FieldExport.class).inNamespace(ns.name()).resource(export).create();
  }

  private static GenericKubernetesResource waitFor(
      KubernetesClient client, TestNamespace ns, String name, String type, String status) {
    return new ConditionWait(client)
        .until(API_VERSION, "FieldExport", ns.name(), name, type, status, Resources.TIMEOUT);
  }

  private static String message(GenericKubernetesResource export, String type) {
    return Resources.conditionMessage(export, "ACK." + type);
  }

  private static void configMap(KubernetesClient client, TestNamespace ns, String name) {
    client
        .configMaps()
        .inNamespace(ns.name())
        .resource(new ConfigMapBuilder().withMetadata(meta(ns, name)).build())
        .create();
  }

  private static Map<String, String> data(KubernetesClient client, TestNamespace ns, String name) {
    ConfigMap map = client.configMaps().inNamespace(ns.name()).withName(name).get();
    return map.getData() == null ? Map.of() : map.getData();
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(TestNamespace ns, String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(ns.name()).build();
  }

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.api.AckCondition;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * jack's Helm charts with the real helm against the real API server: they lint, render what the API
 * server accepts, and install; the controller then runs as the chart's Deployment says (its
 * arguments and environment), with the chart's ServiceAccount's token against the chart's RBAC: it
 * reconciles its kinds, and what its role does not grant is denied.
 */
@JackIntegrationTest
class HelmChartIT {

  private static final Path CHARTS = Path.of("..", "charts", "target", "helm");

  @Test
  void theChartsLintAndRenderWhatTheApiServerAccepts(KubeApiServer kube, TestNamespace ns)
      throws Exception {
    ClusterCli helm = ClusterCli.helm(kube);
    ClusterCli kubectl = ClusterCli.kubectl(kube);
    for (String chart : List.of("jack", "s3-chart", "sqs-chart", "rds-chart")) {
      helm.succeed("lint", CHARTS.resolve(chart).toString());
    }
    for (List<String> values :
        List.of(
            List.<String>of(),
            List.of("--set", "installScope=namespace,leaderElection.enabled=true"),
            List.of(
                "--set",
                "services={s3,lambda},metrics.service.create=true,featureGates.TeamLevelCARM=true",
                "--set",
                "reconcile.resourceMaxConcurrentSyncs.Bucket=3,aws.credentials.secretName=aws"))) {
      List<String> args =
          new ArrayList<>(
              List.of("template", "r", CHARTS.resolve("jack").toString(), "-n", ns.name()));
      args.addAll(values);
      Path rendered = Files.createTempFile("jack-chart", ".yaml");
      Files.writeString(rendered, helm.succeed(args.toArray(String[]::new)));
      kubectl.succeed("apply", "--dry-run=server", "-n", ns.name(), "-f", rendered.toString());
      Files.delete(rendered);
    }

    // A service chart serves its service alone, as ACK's does, under ACK's names.
    List<HasMetadata> s3 =
        parse(
            helm.succeed(
                "template",
                "ack-s3-controller",
                CHARTS.resolve("s3-chart").toString(),
                "-n",
                ns.name()));
    Deployment deployment = only(s3, Deployment.class);
    assertThat(deployment.getSpec().getStrategy().getType())
        .as("without leader election, never two controllers at once")
        .isEqualTo("Recreate");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("ack-s3-controller");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--services", "s3");
    assertThat(writableGroups(only(s3, ClusterRole.class)))
        .as("it writes its own kinds and the core ones, no other service's")
        .containsExactlyInAnyOrder("s3.services.k8s.aws", "services.k8s.aws", "");

    // The Lambda chart reads the kinds its references point to, and writes none of them.
    ClusterRole lambda =
        only(
            parse(helm.succeed("template", "r", CHARTS.resolve("lambda-chart").toString())),
            ClusterRole.class);
    assertThat(lambda.getRules())
        .anyMatch(
            rule ->
                rule.getApiGroups().equals(List.of("iam.services.k8s.aws"))
                    && rule.getResources().contains("roles")
                    && rule.getVerbs().equals(List.of("get")));

    ClusterCli.Result unknown =
        helm.run("template", "r", CHARTS.resolve("jack").toString(), "--set", "services={s4}");
    assertThat(unknown.succeeded()).isFalse();
    assertThat(unknown.output()).contains("services: this chart has no service \"s4\"");
    // A value the chart cannot take is refused at install, naming it (values.schema.json).
    ClusterCli.Result policy =
        helm.run(
            "template", "r", CHARTS.resolve("s3-chart").toString(), "--set", "deletionPolicy=keep");
    assertThat(policy.succeeded()).isFalse();
    assertThat(policy.output()).contains("deletionPolicy must be one of the following");
    // ACK's older default of 0 means the default.
    assertThat(
            helm.succeed(
                "template",
                "r",
                CHARTS.resolve("s3-chart").toString(),
                "--set",
                "reconcile.defaultResyncPeriod=0"))
        .doesNotContain("--reconcile-default-resync-seconds");
  }

  @Test
  void theInstalledControllerReconcilesWithItsServiceAccountAndIsDeniedTheRest(
      KubeApiServer kube, MotoServer moto, KubernetesClient admin, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(admin);
    ClusterCli helm = ClusterCli.helm(kube);
    String release = "jack";
    helm.succeed(
        "install",
        release,
        CHARTS.resolve("jack").toString(),
        "-n",
        ns.name(),
        "--set",
        "aws.region=us-west-2,aws.endpoint_url="
            + moto.endpoint()
            + ",leaderElection.enabled=true");
    Deployment deployment =
        admin.apps().deployments().inNamespace(ns.name()).withName("jack").get();
    assertThat(deployment).as("the chart's Deployment").isNotNull();
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    String token =
        admin
            .serviceAccounts()
            .inNamespace(ns.name())
            .withName(account)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path kubeconfig =
        kube.kubeconfigFor("system:serviceaccount:" + ns.name() + ":" + account, token);

    int health = Ports.freeLoopbackPort();
    List<String> args = new ArrayList<>(container.getArgs());
    args.set(args.indexOf("--healthz-addr") + 1, "127.0.0.1:" + health);
    args.set(args.indexOf("--metrics-addr") + 1, "127.0.0.1:" + Ports.freeLoopbackPort());
    Map<String, String> env = new java.util.HashMap<>(podEnvironment(container, ns.name()));
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    try (JackProcess jack = JackProcess.start("helm-chart", args, env)) {
      jack.awaitReady(health);

      Resources<Bucket, BucketSpec> buckets =
          new Resources<>(admin, ns, Bucket.class, Bucket::new, BucketSpec::new);
      Resources<Queue, QueueSpec> queues =
          new Resources<>(admin, ns, Queue.class, Queue::new, QueueSpec::new);
      buckets.create("charted", spec -> spec.setName("charted-" + ns.name()));
      queues.create("charted", spec -> spec.setQueueName("charted-" + ns.name()));
      buckets.waitFor("charted", AckCondition.RESOURCE_SYNCED, "True");
      queues.waitFor("charted", AckCondition.RESOURCE_SYNCED, "True");
      // Events, which the role lets it write.
      buckets.awaitEvent("charted", "Created");

      try (KubernetesClient controller =
          new KubernetesClientBuilder()
              .withConfig(
                  io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig)))
              .build()) {
        assertThat(controller.resources(Bucket.class).inNamespace(ns.name()).list().getItems())
            .as("its own kinds it may read")
            .hasSize(1);
        assertDenied(() -> controller.pods().inNamespace(ns.name()).list());
        assertDenied(() -> controller.secrets().inNamespace(ns.name()).list());
        assertDenied(() -> controller.namespaces().withName(ns.name()).delete());
        assertDenied(
            () ->
                controller
                    .resources(Bucket.class)
                    .inNamespace(ns.name())
                    .withName("charted")
                    .delete());
        assertDenied(() -> controller.apps().deployments().inNamespace(ns.name()).list());
      }

      queues.deleteAndWait("charted");
      buckets.deleteAndWait("charted");
      try (SqsClient sqs = moto.configure(SqsClient.builder()).build()) {
        assertThat(sqs.listQueues(b -> b.queueNamePrefix("charted-" + ns.name())).queueUrls())
            .isEmpty();
      }
      jack.stop();
      assertThat(jack.lines())
          .as("the chart's role grants everything jack does, for every kind of every service")
          .noneMatch(line -> line.contains("Forbidden") || line.contains("forbidden"));
      assertThat(jack.errors()).isEmpty();
    }

    // helm upgrade changes the Deployment as the new values say (on a node, the pod rolls).
    long generation = deployment.getMetadata().getGeneration();
    helm.succeed(
        "upgrade",
        release,
        CHARTS.resolve("jack").toString(),
        "-n",
        ns.name(),
        "--reuse-values",
        "--set",
        "log.level=debug,reconcile.resourceMaxConcurrentSyncs.Queue=4");
    Deployment upgraded = admin.apps().deployments().inNamespace(ns.name()).withName("jack").get();
    assertThat(upgraded.getMetadata().getGeneration()).isGreaterThan(generation);
    assertThat(upgraded.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--log-level", "debug")
        .containsSubsequence("--reconcile-resource-max-concurrent-syncs", "Queue=4")
        .containsSubsequence("--aws-region", "us-west-2");

    helm.succeed("uninstall", release, "-n", ns.name());
    assertThat(admin.serviceAccounts().inNamespace(ns.name()).withName(account).get()).isNull();
    assertThat(
            admin
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("buckets.s3.services.k8s.aws")
                .get())
        .as("helm keeps the CRDs, and with them the resources")
        .isNotNull();
  }

  /**
   * The container's environment as the kubelet gives it: its values, and the pod's namespace for
   * its fieldRefs. The health and metrics addresses move to free loopback ports (above): on this
   * host the pod's own network is not there.
   */
  private static Map<String, String> podEnvironment(Container container, String namespace) {
    Map<String, String> env = new java.util.HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null
          && var.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(var.getName(), namespace);
      }
    }
    return env;
  }

  private static void assertDenied(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
        objects.add(
            Serialization.unmarshal(
                new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))));
      }
    }
    return objects;
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("one %s", type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  private static Set<String> writableGroups(ClusterRole role) {
    Set<String> groups = new TreeSet<>();
    for (PolicyRule rule : role.getRules()) {
      if (rule.getVerbs().contains("patch") || rule.getVerbs().contains("update")) {
        groups.addAll(rule.getApiGroups());
      }
    }
    return groups;
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.api.AckCondition;
import dev.jack.controller.JackController;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * jack's executable started as ACK's Helm chart starts ACK's controller: the arguments of its
 * {@code templates/deployment.yaml} as the kubelet expands them from the chart's default values
 * (most of them empty), and the environment the chart gives the pod. Only the endpoint (the chart's
 * {@code aws.endpoint_url}, here moto) and the two listen addresses (free ports, so that the test
 * collides with nothing) are set.
 */
@JackIntegrationTest
class ChartArgumentsIT {

  private static final String SYSTEM_NAMESPACE = "ack-system";

  @Test
  void theChartsDefaultArgumentsStartJackWhichLeadsAndReconciles(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    RunningController.installCrds(client);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(SYSTEM_NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    int metrics = Ports.freeLoopbackPort();
    int health = Ports.freeLoopbackPort();
    List<String> args =
        new ArrayList<>(
            List.of(
                new ObjectMapper()
                    .readValue(
                        Path.of("..", "controller", "src", "test", "resources")
                            .resolve("ack-chart-defaults.json")
                            .toFile(),
                        String[].class)));
    args.set(args.indexOf("--aws-region") + 1, "us-west-2");
    args.set(args.indexOf("--aws-endpoint-url") + 1, moto.endpoint().toString());
    args.addAll(
        List.of("--metrics-addr", "127.0.0.1:" + metrics, "--healthz-addr", "127.0.0.1:" + health));
    Map<String, String> env =
        Map.of(
            "KUBECONFIG",
            kube.kubeconfig().toString(),
            "ACK_SYSTEM_NAMESPACE",
            SYSTEM_NAMESPACE,
            "AWS_ACCESS_KEY_ID",
            MotoServer.ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY",
            MotoServer.SECRET_ACCESS_KEY,
            // The JVM sizes itself as in the charts' container (a 768 Mi limit), not this machine.
            "JAVA_OPTS",
            "-XX:MaxRAM=768m");
    try (JackProcess jack = JackProcess.start("chart-arguments", args, env)) {
      jack.awaitReady(health);
      // bin/jack gave the JVM the distribution's class-data-sharing archive, which the build made
      // for this Java runtime and directory: the JVM maps an archive only when it matches.
      assertThat(jack.mappedFiles()).anyMatch(f -> f.endsWith("/jack-dist/jack/jack.jsa"));
      // Every service in one process: jack's own Lease (with --services s3, ACK's ack-s3 one).
      await()
          .atMost(Resources.TIMEOUT)
          .until(() -> holder(client, JackController.LEASE_NAME) != null);

      String name = "chart-" + ns.name();
      Resources<Bucket, BucketSpec> buckets =
          new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);
      buckets.create("charted", spec -> spec.setName(name));
      buckets.waitFor("charted", AckCondition.RESOURCE_SYNCED, "True");
      try (S3Client s3 = moto.configure(S3Client.builder()).region(Region.US_WEST_2).build()) {
        assertThat(s3.getBucketLocation(b -> b.bucket(name)).locationConstraintAsString())
            .as("the chart's region")
            .isEqualTo("us-west-2");
      }
      assertThat(jack.body(metrics, "/metrics")).contains("jack_resources");
      buckets.deleteAndWait("charted");
      System.out.printf(
          "ChartArgumentsIT: jack's resident memory with all %d services (119 kinds) in a 768 MiB"
              + " container, after start-up and one Bucket's life: %d MiB%n",
          17, jack.residentMiB());

      jack.stop();
      assertThat(holder(client, JackController.LEASE_NAME)).as("the Lease released").isNull();
      // A watch the API server closes while it sets up CRDs just installed is retried by the
      // client with a warning; an error is something else.
      assertThat(jack.errors()).as("jack logs no error").isEmpty();
    }
  }

  private static String holder(KubernetesClient client, String lease) {
    Lease found = client.leases().inNamespace(SYSTEM_NAMESPACE).withName(lease).get();
    return found == null ? null : found.getSpec().getHolderIdentity();
  }
}

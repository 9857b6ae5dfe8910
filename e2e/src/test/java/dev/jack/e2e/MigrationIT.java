package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.services.s3.v1alpha1.Bucket;
import dev.jack.services.s3.v1alpha1.BucketSpec;
import dev.jack.services.s3.v1alpha1.VersioningConfiguration;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.Crds;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * A team replaces ACK's controller with jack: ACK's own S3 controller (Go, built by
 * testenv/install.sh) creates a Bucket; it stops; jack starts on the same resources, with ACK's
 * CRDs still installed (those of ACK's Helm chart), and takes them over. Nothing is created again,
 * the finalizer and the identifiers ACK wrote stay, jack's status writes fit ACK's schema, and from
 * then on jack applies the spec and deletes the bucket when the resource goes.
 */
@JackIntegrationTest
class MigrationIT {

  /** What AWS answers for every bucket since 2023; moto answers "none", on which ACK crashes. */
  private static final String DEFAULT_ENCRYPTION =
      "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
          + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"
          + "</Rule></ServerSideEncryptionConfiguration>";

  @Test
  void jackTakesOverTheBucketAcksControllerCreatedWithoutCreatingItAgain(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    // jack's CRDs for the kinds ACK's S3 controller does not serve, ACK's for the others.
    RunningController.installCrds(client);
    Path ackCrds = Binaries.fromEnvironment().ackS3Crds();
    Crds.install(
        client,
        Crds.read(
            List.of(
                ackCrds.resolve("s3.services.k8s.aws_buckets.yaml"),
                ackCrds.resolve("services.k8s.aws_fieldexports.yaml"))));
    try {
      takeOver(kube, moto, client, ns);
    } finally {
      RunningController.installCrds(client);
    }
  }

  private static void takeOver(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws Exception {
    assertThat(conditionFields(client))
        .as("ACK's Bucket CRD is installed: its conditions have no observedGeneration")
        .doesNotContain("observedGeneration");
    String name = "migrating-" + ns.name();
    Predicate<AwsProxy.Call> createBucket =
        call ->
            call.method().equals("PUT") && call.path().equals("/" + name) && call.query() == null;
    try (AwsProxy proxy = AwsProxy.start(moto.endpoint())) {
      proxy.answer(
          call ->
              call.method().equals("GET")
                  && call.path().equals("/" + name)
                  && call.query() != null
                  && call.query().startsWith("encryption"),
          Integer.MAX_VALUE,
          200,
          "application/xml",
          DEFAULT_ENCRYPTION);
      Resources<Bucket, BucketSpec> buckets =
          new Resources<>(client, ns, Bucket.class, Bucket::new, BucketSpec::new);

      int health = Ports.freeLoopbackPort();
      List<String> ackArgs =
          List.of(
              "--aws-region",
              "us-east-1",
              "--aws-endpoint-url",
              proxy.endpoint().toString(),
              "--aws-identity-endpoint-url",
              proxy.endpoint().toString(),
              "--allow-unsafe-aws-endpoint-urls",
              "--watch-namespace",
              ns.name(),
              "--enable-adopted-resource-reconciler=false",
              "--enable-field-export-reconciler=false",
              "--enable-carm=false",
              "--metrics-addr",
              "127.0.0.1:" + Ports.freeLoopbackPort(),
              "--healthz-addr",
              "127.0.0.1:" + health);
      Map<String, String> env =
          Map.of(
              "KUBECONFIG", kube.kubeconfig().toString(),
              "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID,
              "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
      List<String> command = new java.util.ArrayList<>();
      command.add(Binaries.fromEnvironment().ackS3Controller().toString());
      command.addAll(ackArgs);
      Bucket byAck;
      try (JackProcess ack = JackProcess.run("ack-s3-controller", command, env)) {
        buckets.create("migrating", spec -> spec.setName(name));
        buckets.waitFor("migrating", AckCondition.RESOURCE_SYNCED, "True");
        byAck = buckets.get("migrating");
        ack.stop();
      }
      assertThat(proxy.count(createBucket)).as("ACK created the bucket").isEqualTo(1);
      assertThat(byAck.getMetadata().getFinalizers())
          .containsExactly("finalizers.s3.services.k8s.aws/Bucket");
      assertThat(byAck.getStatus().getAckResourceMetadata().getOwnerAccountID())
          .isEqualTo("123456789012");

      try (RunningController jack =
          RunningController.startOnInstalledCrds(kube, proxy.endpoint())) {
        // jack's mark: what it applied, recorded once it synced the bucket.
        await()
            .atMost(Resources.TIMEOUT)
            .until(
                () ->
                    buckets.get("migrating").getMetadata().getAnnotations() != null
                        && buckets
                            .get("migrating")
                            .getMetadata()
                            .getAnnotations()
                            .containsKey("jack.dev/owned"));
        // A status written by jack (the drift check's condition), which ACK's schema accepted.
        buckets.convergesOnDriftCheck("migrating");
        Bucket taken = buckets.get("migrating");
        assertThat(jack.calls("s3", "HeadBucket")).as("jack looked at it").isPositive();
        assertThat(jack.calls("s3", "CreateBucket")).as("and created nothing").isZero();
        assertThat(proxy.count(createBucket)).isEqualTo(1);
        assertThat(taken.getMetadata().getFinalizers())
            .as("ACK's finalizer is jack's: one, the same")
            .containsExactly("finalizers.s3.services.k8s.aws/Bucket");
        assertThat(taken.getStatus().getAckResourceMetadata().getArn())
            .isEqualTo(byAck.getStatus().getAckResourceMetadata().getArn());
        assertThat(taken.getStatus().getConditions())
            .anyMatch(
                c ->
                    c.getType().equals(AckCondition.RESOURCE_SYNCED)
                        && c.getStatus().equals("True"));

        // From now on the bucket is jack's: a spec change is applied, a delete deletes it.
        buckets.edit(
            "migrating",
            spec -> {
              VersioningConfiguration versioning = new VersioningConfiguration();
              versioning.setStatus("Enabled");
              spec.setVersioning(versioning);
            });
        try (S3Client s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build()) {
          await()
              .atMost(Resources.TIMEOUT)
              .until(
                  () ->
                      s3.getBucketVersioning(b -> b.bucket(name)).status()
                          == BucketVersioningStatus.ENABLED);
          // ACK's schema keeps no observedGeneration: the event says the edit's reconcile is done.
          await()
              .atMost(Resources.TIMEOUT)
              .until(
                  () ->
                      buckets.events("migrating").stream()
                          .anyMatch(e -> "Updated".equals(e.getReason())));
          buckets.deleteAndWait("migrating");
          assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(name));
        }
      }
      assertThat(proxy.count(createBucket)).as("created once, by ACK").isEqualTo(1);
    }
  }

  /** The members of a condition in the installed Bucket CRD's schema. */
  private static java.util.Set<String> conditionFields(KubernetesClient client) {
    return client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("buckets.s3.services.k8s.aws")
        .get()
        .getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("status")
        .getProperties()
        .get("conditions")
        .getItems()
        .getSchema()
        .getProperties()
        .keySet();
  }
}

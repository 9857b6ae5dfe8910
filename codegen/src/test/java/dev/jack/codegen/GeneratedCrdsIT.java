package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.testenv.ClusterCli;
import dev.jack.testenv.ClusterCli.Result;
import dev.jack.testenv.Crds;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Installs every generated CRD into the real API server and checks it with kubectl as a user runs
 * it: each example manifest applies under strict field validation, and invalid manifests are
 * rejected with a message that names the field.
 */
@JackIntegrationTest
class GeneratedCrdsIT {

  private static final Path SERVICES = Path.of("..", "services");
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Path CORE_CRDS = Path.of("..", "api", "crds");

  private static List<CustomResourceDefinition> crds;

  @BeforeAll
  static void installCrds(KubernetesClient client) throws IOException {
    try (Stream<Path> files = Files.walk(SERVICES)) {
      List<Path> crdFiles =
          files
              .filter(f -> f.getParent().getFileName().toString().equals("crds"))
              .filter(f -> f.toString().endsWith(".yaml"))
              .sorted()
              .toList();
      crds = Crds.read(crdFiles);
    }
    Crds.install(client, crds);
    // ACK's own kinds (FieldExport, IAMRoleSelector: not generated), which examples use too.
    try (Stream<Path> core = Files.list(CORE_CRDS)) {
      Crds.install(client, Crds.read(core.sorted().toList()));
    }
  }

  @Test
  void everyGeneratedCrdIsEstablished(KubernetesClient client) {
    // 117 kinds of 17 services: a kind lost or added shows here.
    assertThat(crds).hasSize(117);
    for (CustomResourceDefinition crd : crds) {
      CustomResourceDefinition served =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get();
      assertThat(served.getStatus().getAcceptedNames().getKind())
          .isEqualTo(crd.getSpec().getNames().getKind());
    }
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleAppliesWithStrictValidation(Path example, KubeApiServer kube, TestNamespace ns) {
    String output =
        ClusterCli.kubectl(kube)
            .succeed(
                "apply", "--validate=strict", "--namespace", ns.name(), "-f", example.toString());
    assertThat(output).contains("created");
  }

  @Test
  void everyKindHasAnExample() throws IOException {
    List<String> exampleKinds =
        examples()
            .map(GeneratedCrdsIT::kindOf)
            .flatMap(java.util.Optional::stream)
            .sorted()
            .toList();
    List<String> crdKinds =
        crds.stream()
            .map(c -> c.getSpec().getGroup() + "/" + c.getSpec().getNames().getKind())
            .sorted()
            .toList();
    assertThat(exampleKinds).containsAll(crdKinds);
  }

  @Test
  void aValueOfTheWrongTypeIsRejected(KubeApiServer kube, TestNamespace ns) {
    Result result =
        apply(
            kube,
            ns,
            """
            apiVersion: sqs.services.k8s.aws/v1alpha1
            kind: Queue
            metadata:
              name: wrong-type
            spec:
              queueName: wrong-type
              delaySeconds: 5
            """);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.output()).contains("spec.delaySeconds").contains("must be of type string");
  }

  @Test
  void anUnknownFieldIsRejected(KubeApiServer kube, TestNamespace ns) {
    Result result =
        apply(
            kube,
            ns,
            """
            apiVersion: s3.services.k8s.aws/v1alpha1
            kind: Bucket
            metadata:
              name: unknown-field
            spec:
              name: unknown-field
              versioning:
                state: Enabled
            """);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.output()).contains("unknown field \"spec.versioning.state\"");
  }

  @Test
  void aMissingRequiredFieldIsRejected(KubeApiServer kube, TestNamespace ns) {
    Result result =
        apply(
            kube,
            ns,
            """
            apiVersion: dynamodb.services.k8s.aws/v1alpha1
            kind: Table
            metadata:
              name: no-key-schema
            spec:
              tableName: no-key-schema
              attributeDefinitions:
                - attributeName: id
                  attributeType: S
            """);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.output()).contains("spec.keySchema").contains("Required value");
  }

  @Test
  void changingAnImmutableFieldIsRejected(KubeApiServer kube, TestNamespace ns) {
    String queue =
        """
        apiVersion: sqs.services.k8s.aws/v1alpha1
        kind: Queue
        metadata:
          name: immutable
        spec:
          queueName: %s
        """;
    assertThat(apply(kube, ns, queue.formatted("first-name")).succeeded()).isTrue();

    Result renamed = apply(kube, ns, queue.formatted("second-name"));

    assertThat(renamed.succeeded()).isFalse();
    assertThat(renamed.output()).contains("spec.queueName").contains("Value is immutable once set");
  }

  private static Result apply(KubeApiServer kube, TestNamespace ns, String manifest) {
    try {
      Path file = Files.createTempFile("manifest", ".yaml");
      Files.writeString(file, manifest);
      return ClusterCli.kubectl(kube)
          .run("apply", "--validate=strict", "--namespace", ns.name(), "-f", file.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The kind of an example's first ACK document (a Secret it holds may come before). */
  /** The group and kind of an example's first ACK document; empty for one with none. */
  private static java.util.Optional<String> kindOf(Path example) {
    try {
      return java.util.Arrays.stream(Files.readString(example).split("(?m)^---$"))
          .filter(doc -> doc.lines().anyMatch(GeneratedCrdsIT::isAckApiVersion))
          .findFirst()
          .map(
              text -> {
                String apiVersion =
                    text.lines().filter(GeneratedCrdsIT::isAckApiVersion).findFirst().orElseThrow();
                String kind =
                    text.lines().filter(l -> l.startsWith("kind:")).findFirst().orElseThrow();
                String group = apiVersion.substring("apiVersion:".length()).trim().split("/")[0];
                return group + "/" + kind.substring("kind:".length()).trim();
              });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean isAckApiVersion(String line) {
    return line.startsWith("apiVersion:") && line.contains("services.k8s.aws/");
  }
}

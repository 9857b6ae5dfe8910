package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jack.api.AckCondition;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Bad input, generated from each kind's own CRD schema (which carries the AWS model's lengths,
 * patterns, ranges and sizes and jack's rules for what the model states only in prose): for every
 * kind, its example is broken one field at a time (a value of the wrong type, too long, too short,
 * against the pattern, out of range, too many or too few items, a required field left out, a value
 * a rule forbids) and sent through the real API server (a server-side dry run: nothing is stored,
 * no AWS call can follow). Each must be rejected with a message that names the field. The counts
 * per kind are printed and written to {@code target/bad-input.md}.
 */
@JackIntegrationTest
class BadInputIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Values tried against a field's rules (CEL) that no generator can invert. */
  private static final List<String> RULE_CANDIDATES =
      List.of("", "Upper_Case", "a..b", "192.168.0.1", "-1", "99999999999", "xn--bucket", "x");

  /** Values tried against a pattern: the first the pattern does not match is used. */
  private static final List<String> PATTERN_CANDIDATES =
      List.of("", " ", "!", "\t\n", "not valid!", "é", "0", "a", "A-", "arn:aws:x");

  /** One broken field: where, how, and the spec that carries it. */
  private record Violation(String path, String how, ObjectNode spec) {}

  @Test
  void everyKindRejectsWhatItsSchemaForbidsNamingTheField(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws IOException {
    Map<String, ObjectNode> examples = examplesByKind();
    Map<String, int[]> counts = new TreeMap<>();
    List<String> accepted = new ArrayList<>();
    Map<String, Integer> ruleFieldsRejected = new TreeMap<>();
    try (RunningController jack = RunningController.start(kube, moto, settings -> {})) {
      List<CustomResourceDefinition> crds =
          client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
              .filter(c -> c.getSpec().getGroup().endsWith(".services.k8s.aws"))
              .toList();
      assertThat(crds).as("the generated kinds").hasSize(117);
      for (CustomResourceDefinition crd : crds) {
        String key = crd.getSpec().getGroup() + "/" + crd.getSpec().getNames().getKind();
        ObjectNode example = examples.get(key);
        assertThat(example).as("an example of %s", key).isNotNull();
        JsonNode schema = specSchema(crd);
        int[] count = new int[2];
        for (Violation violation : violations(schema, (ObjectNode) example.path("spec"))) {
          String rejection = dryRunCreate(client, ns, example, violation.spec());
          boolean named = rejection != null && rejection.contains(violation.path());
          boolean rule = violation.how().startsWith("rule");
          if (rule && !named) {
            continue; // a value the rule allows: not bad input
          }
          count[0]++;
          if (named) {
            count[1]++;
            if (rule) {
              ruleFieldsRejected.merge(key + " " + violation.path(), 1, Integer::sum);
            }
          } else {
            accepted.add(
                key
                    + " "
                    + violation.path()
                    + " ("
                    + violation.how()
                    + "): "
                    + (rejection == null ? "accepted" : rejection));
          }
        }
        counts.put(key, count);
      }
    }
    report(counts);
    assertThat(accepted).as("broken specs the API server took or named wrongly").isEmpty();
    assertThat(ruleFieldsRejected.keySet())
        .as("every rule of jack's own rejects one of the values tried")
        .contains(
            "s3.services.k8s.aws/Bucket spec.name",
            "sqs.services.k8s.aws/Queue spec.queueName",
            "sqs.services.k8s.aws/Queue spec.delaySeconds",
            "sqs.services.k8s.aws/Queue spec.visibilityTimeout");
    int generated = counts.values().stream().mapToInt(c -> c[0]).sum();
    assertThat(generated).as("broken specs generated over all kinds").isGreaterThan(1000);
  }

  /**
   * Specs the schema takes at its edges, sent to a running jack against the emulator: each optional
   * string the example sets made empty, each length and number at its largest. Each ends Synced, or
   * ACK.Terminal with AWS's message; none loops (the calls once they settled are counted), jack
   * goes on reconciling, and after the deletes AWS holds what it held before.
   */
  @Test
  void edgesTheSchemaTakesEndSyncedOrTerminalAndLeaveNothing(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns)
      throws IOException, InterruptedException {
    Map<String, ObjectNode> examples = examplesByKind();
    Map<String, int[]> outcomes = new TreeMap<>();
    List<GenericKubernetesResource> applied = new ArrayList<>();
    try (Inventory aws = new Inventory(moto);
        AwsProxy proxy = AwsProxy.start(moto.endpoint());
        RunningController jack = RunningController.start(kube, proxy.endpoint(), settings -> {})) {
      Map<String, Set<String>> before = aws.read();
      for (String kind : aws.kinds()) {
        ObjectNode example = examples.get(kind);
        JsonNode schema = specSchema(client, kind);
        int[] outcome = new int[4]; // cases, rejected at apply, synced, terminal
        List<ObjectNode> cases = edgeCases(schema, (ObjectNode) example.path("spec"));
        for (int i = 0; i < cases.size(); i++) {
          String name = "edge-" + example.path("kind").asText().toLowerCase() + "-" + i;
          ObjectNode manifest = example.deepCopy();
          manifest.set(
              "spec", renamed(cases.get(i), example.path("metadata").path("name").asText(), name));
          ((ObjectNode) manifest.path("metadata")).put("name", name).put("namespace", ns.name());
          outcome[0]++;
          try {
            applied.add(
                client
                    .resource(
                        Serialization.jsonMapper()
                            .convertValue(manifest, GenericKubernetesResource.class))
                    .create());
          } catch (KubernetesClientException e) {
            outcome[1]++;
          }
        }
        outcomes.put(kind, outcome);
      }
      assertThat(applied).as("edge cases that reached jack").hasSizeGreaterThanOrEqualTo(5);
      await("every edge case ends Synced or Terminal")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(applied.stream().filter(r -> outcome(client, r) == null).toList())
                      .extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                      .isEmpty());
      for (GenericKubernetesResource resource : applied) {
        String outcome = outcome(client, resource);
        String kind = resource.getApiVersion().split("/")[0] + "/" + resource.getKind();
        outcomes.get(kind)[outcome.equals(AckCondition.TERMINAL) ? 3 : 2]++;
        if (outcome.equals(AckCondition.TERMINAL)) {
          assertThat(Resources.conditionMessage(fresh(client, resource), AckCondition.TERMINAL))
              .as("the Terminal message of %s says what AWS said", resource.getMetadata().getName())
              .isNotBlank();
        }
      }
      // No loop: once settled, a minute of the fleet makes next to no calls (resync is 10 h).
      long settled = proxy.calls().size();
      assertThat(settled)
          .as("the edge cases' calls went through the proxy that counts them")
          .isGreaterThanOrEqualTo(applied.size());
      Thread.sleep(20_000);
      long perMinute = (proxy.calls().size() - settled) * 3;
      assertThat((double) perMinute / applied.size())
          .as("calls a minute per resource once every edge case ended")
          .isLessThan(1);
      // jack still reconciles: a plain queue after all of them syncs.
      ObjectNode queue = examples.get("sqs.services.k8s.aws/Queue").deepCopy();
      ((ObjectNode) queue.path("metadata"))
          .put("name", "after-the-edges")
          .put("namespace", ns.name());
      ((ObjectNode) queue.path("spec")).put("queueName", "after-the-edges");
      GenericKubernetesResource after =
          client
              .resource(
                  Serialization.jsonMapper().convertValue(queue, GenericKubernetesResource.class))
              .create();
      applied.add(after);
      await("jack goes on reconciling")
          .atMost(Duration.ofSeconds(60))
          .until(() -> AckCondition.RESOURCE_SYNCED.equals(outcome(client, after)));
      for (GenericKubernetesResource resource : applied) {
        client.resource(resource).delete();
      }
      await("every finalizer released")
          .atMost(Duration.ofMinutes(2))
          .until(() -> applied.stream().allMatch(r -> client.resource(r).get() == null));
      assertThat(aws.read())
          .as("what AWS holds after the deletes: what it held before")
          .isEqualTo(before);
    }
    StringBuilder table =
        new StringBuilder(
            "| kind | edge cases | rejected at apply | Synced | ACK.Terminal |\n|---|---|---|---|---|\n");
    outcomes.forEach(
        (kind, o) ->
            table.append("| %s | %d | %d | %d | %d |%n".formatted(kind, o[0], o[1], o[2], o[3])));
    System.out.println(table);
    Files.writeString(
        Files.createDirectories(Path.of("target")).resolve("bad-input-edges.md"), table.toString());
  }

  /** The edge cases of a kind's example: empty optional strings, largest lengths and numbers. */
  private static List<ObjectNode> edgeCases(JsonNode specSchema, ObjectNode example) {
    Set<String> required = new TreeSet<>();
    specSchema.path("required").forEach(r -> required.add(r.asText()));
    List<ObjectNode> cases = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = specSchema.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode schema = field.getValue();
      String name = field.getKey();
      boolean free = !schema.has("pattern") && !hasRules(schema) && !schema.has("enum");
      if (schema.path("type").asText().equals("string") && free && !schema.has("format")) {
        if (example.path(name).isTextual()
            && !required.contains(name)
            && !schema.has("minLength")) {
          cases.add(example.deepCopy().put(name, ""));
        }
        if (schema.has("maxLength") && schema.get("maxLength").asInt() <= 4096) {
          cases.add(example.deepCopy().put(name, "a".repeat(schema.get("maxLength").asInt())));
        }
      }
      if (schema.path("type").asText().equals("integer") && schema.has("maximum")) {
        cases.add(example.deepCopy().put(name, schema.get("maximum").asLong()));
      }
    }
    return cases;
  }

  /** The spec with every value that is the example's name made {@code name}, for a name apart. */
  private static ObjectNode renamed(ObjectNode spec, String exampleName, String name) {
    ObjectNode out = spec.deepCopy();
    out.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isTextual() && f.getValue().asText().equals(exampleName)) {
                f.setValue(JSON.textNode(name));
              }
            });
    return out;
  }

  /** ResourceSynced or ACK.Terminal when the resource has ended so, else null. */
  private static String outcome(KubernetesClient client, GenericKubernetesResource resource) {
    GenericKubernetesResource now = fresh(client, resource);
    JsonNode conditions =
        Serialization.jsonMapper().valueToTree(now).path("status").path("conditions");
    for (JsonNode condition : conditions) {
      String type = condition.path("type").asText();
      boolean isTrue = condition.path("status").asText().equals("True");
      if (isTrue
          && (type.equals(AckCondition.RESOURCE_SYNCED) || type.equals(AckCondition.TERMINAL))) {
        return type;
      }
    }
    return null;
  }

  private static GenericKubernetesResource fresh(
      KubernetesClient client, GenericKubernetesResource resource) {
    return client.resource(resource).get();
  }

  private static JsonNode specSchema(KubernetesClient client, String kind) {
    return client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
        .filter(c -> kind.equals(c.getSpec().getGroup() + "/" + c.getSpec().getNames().getKind()))
        .findFirst()
        .map(BadInputIT::specSchema)
        .orElseThrow();
  }

  /** The schema of a CRD's spec, as JSON. */
  private static JsonNode specSchema(CustomResourceDefinition crd) {
    return Serialization.jsonMapper()
        .valueToTree(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema())
        .path("properties")
        .path("spec");
  }

  /** What AWS holds of each kind the edge cases cover, read with the SDK. */
  private static final class Inventory implements AutoCloseable {
    private final SqsClient sqs;
    private final S3Client s3;
    private final SnsClient sns;
    private final DynamoDbClient dynamodb;
    private final EcrClient ecr;
    private final ApiGatewayV2Client apis;
    private final Map<String, Supplier<Set<String>>> lists = new TreeMap<>();

    Inventory(MotoServer moto) {
      sqs = moto.configure(SqsClient.builder()).build();
      s3 = moto.configure(S3Client.builder()).forcePathStyle(true).build();
      sns = moto.configure(SnsClient.builder()).build();
      dynamodb = moto.configure(DynamoDbClient.builder()).build();
      ecr = moto.configure(EcrClient.builder()).build();
      apis = moto.configure(ApiGatewayV2Client.builder()).build();
      lists.put("sqs.services.k8s.aws/Queue", () -> new TreeSet<>(sqs.listQueues().queueUrls()));
      lists.put(
          "s3.services.k8s.aws/Bucket",
          () -> set(s3.listBuckets().buckets().stream().map(b -> b.name())));
      lists.put(
          "sns.services.k8s.aws/Topic",
          () -> set(sns.listTopics().topics().stream().map(t -> t.topicArn())));
      lists.put(
          "dynamodb.services.k8s.aws/Table",
          () -> new TreeSet<>(dynamodb.listTables().tableNames()));
      lists.put(
          "ecr.services.k8s.aws/Repository",
          () ->
              set(ecr.describeRepositories().repositories().stream().map(r -> r.repositoryName())));
      lists.put(
          "apigatewayv2.services.k8s.aws/API",
          () -> set(apis.getApis(b -> {}).items().stream().map(a -> a.apiId())));
    }

    /** The kinds, as {@code group/Kind}. */
    Set<String> kinds() {
      return lists.keySet();
    }

    /** What AWS holds now, by kind. */
    Map<String, Set<String>> read() {
      Map<String, Set<String>> held = new TreeMap<>();
      lists.forEach((kind, list) -> held.put(kind, list.get()));
      return held;
    }

    @Override
    public void close() {
      Resources.closeAll(sqs, s3, sns, dynamodb, ecr, apis);
    }
  }

  private static Set<String> set(Stream<String> values) {
    return new TreeSet<>(values.toList());
  }

  /** Creates the example with {@code spec} as a server-side dry run: the rejection, or null. */
  private static String dryRunCreate(
      KubernetesClient client, TestNamespace ns, ObjectNode example, ObjectNode spec) {
    ObjectNode manifest = example.deepCopy();
    manifest.set("spec", spec);
    ((ObjectNode) manifest.path("metadata")).put("namespace", ns.name());
    GenericKubernetesResource resource =
        Serialization.jsonMapper().convertValue(manifest, GenericKubernetesResource.class);
    try {
      client.resource(resource).dryRun().create();
      return null;
    } catch (KubernetesClientException e) {
      StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
      if (e.getStatus() != null && e.getStatus().getDetails() != null) {
        for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
          text.append(' ').append(cause.getField()).append(": ").append(cause.getMessage());
        }
      }
      return text.toString();
    }
  }

  /** The broken specs of a kind: each field of the schema (two levels deep) broken every way. */
  private static List<Violation> violations(JsonNode specSchema, ObjectNode example) {
    List<Violation> out = new ArrayList<>();
    List<String> required = new ArrayList<>();
    specSchema.path("required").forEach(r -> required.add(r.asText()));
    for (String field : required) {
      if (example.has(field)) {
        ObjectNode spec = example.deepCopy();
        spec.remove(field);
        out.add(new Violation("spec." + field, "required", spec));
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = specSchema.path("properties").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      for (Map.Entry<String, JsonNode> bad : badValues(field.getValue()).entrySet()) {
        ObjectNode spec = example.deepCopy();
        spec.set(name, bad.getValue());
        out.add(new Violation("spec." + name, bad.getKey(), spec));
      }
      // One level down, inside the example's value of the field or an object of its own.
      Iterator<Map.Entry<String, JsonNode>> members = field.getValue().path("properties").fields();
      while (members.hasNext()) {
        Map.Entry<String, JsonNode> member = members.next();
        for (Map.Entry<String, JsonNode> bad : badValues(member.getValue()).entrySet()) {
          ObjectNode spec = example.deepCopy();
          ObjectNode parent =
              example.path(name).isObject()
                  ? (ObjectNode) example.get(name).deepCopy()
                  : JSON.objectNode();
          parent.set(member.getKey(), bad.getValue());
          spec.set(name, parent);
          out.add(new Violation("spec." + name + "." + member.getKey(), bad.getKey(), spec));
        }
      }
    }
    return out;
  }

  /** The values a field's schema forbids, by how each breaks it. */
  private static Map<String, JsonNode> badValues(JsonNode schema) {
    Map<String, JsonNode> bad = new HashMap<>();
    String type = schema.path("type").asText("");
    if (schema.has("x-kubernetes-preserve-unknown-fields")
        || schema.has("x-kubernetes-int-or-string")) {
      return bad;
    }
    switch (type) {
      case "string" -> {
        bad.put("type", JSON.objectNode().put("not", "a string"));
        if (schema.has("maxLength") && schema.get("maxLength").asLong() < 100_000) {
          bad.put("maxLength", JSON.textNode("a".repeat(schema.get("maxLength").asInt() + 1)));
        }
        if (schema.path("minLength").asInt() > 0) {
          bad.put("minLength", JSON.textNode("a".repeat(schema.get("minLength").asInt() - 1)));
        }
        if (schema.has("pattern")) {
          Pattern pattern = Pattern.compile(schema.get("pattern").asText());
          PATTERN_CANDIDATES.stream()
              .filter(c -> !pattern.matcher(c).find())
              .findFirst()
              .ifPresent(c -> bad.put("pattern", JSON.textNode(c)));
        }
        if (schema.has("enum")) {
          bad.put("enum", JSON.textNode("NotAValueOfTheEnum"));
        }
        if (hasRules(schema)) {
          for (int i = 0; i < RULE_CANDIDATES.size(); i++) {
            bad.put("rule " + i, JSON.textNode(RULE_CANDIDATES.get(i)));
          }
        }
      }
      case "integer", "number" -> {
        bad.put("type", JSON.textNode("not a number"));
        if (schema.has("minimum")) {
          bad.put("minimum", JSON.numberNode(schema.get("minimum").asLong() - 1));
        }
        if (schema.has("maximum")) {
          bad.put("maximum", JSON.numberNode(schema.get("maximum").asLong() + 1));
        }
      }
      case "boolean" -> bad.put("type", JSON.textNode("maybe"));
      case "array" -> {
        bad.put("type", JSON.textNode("not a list"));
        JsonNode item = validItem(schema.path("items"));
        if (schema.has("maxItems") && item != null && schema.get("maxItems").asInt() < 1000) {
          ArrayNode many = JSON.arrayNode();
          for (int i = 0; i <= schema.get("maxItems").asInt(); i++) {
            many.add(
                item instanceof com.fasterxml.jackson.databind.node.TextNode
                    ? JSON.textNode("a" + i)
                    : item);
          }
          bad.put("maxItems", many);
        }
        if (schema.path("minItems").asInt() == 1) {
          bad.put("minItems", JSON.arrayNode());
        }
      }
      case "object" -> bad.put("type", JSON.textNode("not an object"));
      default -> {}
    }
    return bad;
  }

  /** Whether the schema has a rule of its own (not the immutability rule on updates). */
  private static boolean hasRules(JsonNode schema) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      if (!rule.path("rule").asText().contains("oldSelf")) {
        return true;
      }
    }
    return false;
  }

  /** An item that its own schema takes, for lists made too long; null when none is simple. */
  private static JsonNode validItem(JsonNode items) {
    String type = items.path("type").asText("");
    if (type.equals("string") && !items.has("pattern") && !items.has("enum")) {
      return JSON.textNode("a");
    }
    if (type.equals("integer") && !items.has("minimum") && !items.has("maximum")) {
      return JSON.numberNode(1);
    }
    return null;
  }

  /** Each kind's example, the first document of that kind in {@code examples/}. */
  private static Map<String, ObjectNode> examplesByKind() throws IOException {
    Map<String, ObjectNode> examples = new HashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (String document : Files.readString(file).split("(?m)^---$")) {
          JsonNode node = YAML.readTree(document);
          if (node == null || !node.path("apiVersion").asText().contains(".services.k8s.aws/")) {
            continue;
          }
          String group = node.path("apiVersion").asText().split("/")[0];
          examples.putIfAbsent(group + "/" + node.path("kind").asText(), (ObjectNode) node);
        }
      }
    }
    return examples;
  }

  private static void report(Map<String, int[]> counts) throws IOException {
    StringBuilder table =
        new StringBuilder("| kind | broken specs | rejected naming the field |\n|---|---|---|\n");
    int generated = 0;
    int rejected = 0;
    for (Map.Entry<String, int[]> kind : counts.entrySet()) {
      table.append(
          "| %s | %d | %d |%n".formatted(kind.getKey(), kind.getValue()[0], kind.getValue()[1]));
      generated += kind.getValue()[0];
      rejected += kind.getValue()[1];
    }
    table.append("| all %d kinds | %d | %d |%n".formatted(counts.size(), generated, rejected));
    System.out.println(table);
    Files.writeString(
        Files.createDirectories(Path.of("target")).resolve("bad-input.md"), table.toString());
  }
}

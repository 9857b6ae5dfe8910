package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

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
        JsonNode schema =
            Serialization.jsonMapper()
                .valueToTree(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema())
                .path("properties")
                .path("spec");
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

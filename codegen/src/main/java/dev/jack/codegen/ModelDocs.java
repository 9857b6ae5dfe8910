package dev.jack.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the AWS SDK for Java v2 jars lack of a service's API model: the documentation, for the CRDs'
 * field descriptions, the complete lists of required input members, and the constraints of the
 * input's values ({@link ModelConstraints}). Both come from the AWS API model in botocore's wheel,
 * pinned by {@code testenv/install.sh}; structure comes from the SDK alone.
 */
public final class ModelDocs {

  /** No documentation: every description is null. */
  public static final ModelDocs NONE = new ModelDocs(null);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG = Pattern.compile("<[^>]+>");
  private static final Pattern PARAGRAPH = Pattern.compile("(?i)</p>");
  private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</li>|</ul>|</ol>");
  private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

  private final JsonNode model;

  private ModelDocs(JsonNode model) {
    this.model = model;
  }

  /**
   * Reads the newest API version of {@code service} from a botocore wheel ({@code
   * botocore/data/<service>/<version>/service-2.json.gz}).
   */
  public static ModelDocs fromBotocoreWheel(Path wheel, String service) {
    if (!Files.isRegularFile(wheel)) {
      throw new IllegalStateException(
          "the AWS API documentation is not installed (looked for "
              + wheel
              + "): run `make setup`");
    }
    try (ZipFile zip = new ZipFile(wheel.toFile())) {
      String prefix = "botocore/data/" + service + "/";
      Optional<? extends ZipEntry> entry =
          zip.stream()
              .filter(
                  e -> e.getName().startsWith(prefix) && e.getName().endsWith("/service-2.json.gz"))
              .max(Comparator.comparing(ZipEntry::getName));
      if (entry.isEmpty()) {
        throw new IllegalArgumentException(wheel + " has no API model of " + service);
      }
      try (InputStream in = new GZIPInputStream(zip.getInputStream(entry.get()))) {
        return new ModelDocs(JSON.readTree(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + wheel, e);
    }
  }

  /**
   * The members of an operation's input that the AWS model marks required (the SDK for Java marks
   * only some of them); empty without a model.
   */
  public java.util.Set<String> requiredInputs(String operation) {
    if (model == null) {
      return java.util.Set.of();
    }
    JsonNode op = operation(operation);
    String shape = op == null ? null : op.path("input").path("shape").asText(null);
    java.util.Set<String> required = new java.util.LinkedHashSet<>();
    if (shape != null) {
      model.path("shapes").path(shape).path("required").forEach(r -> required.add(r.asText()));
    }
    return required;
  }

  /** The documentation of a member of an operation's input, or null. */
  public String input(String operation, String member) {
    return operationMember(operation, "input", member);
  }

  /** The documentation of a member of an operation's output, or null. */
  public String output(String operation, String member) {
    return operationMember(operation, "output", member);
  }

  /** The documentation of a member of a structure shape, or null. */
  public String member(String shape, String member) {
    if (model == null) {
      return null;
    }
    return text(
        model.path("shapes").path(shape).path("members").path(member).path("documentation"));
  }

  private String operationMember(String operation, String direction, String member) {
    if (model == null) {
      return null;
    }
    JsonNode op = operation(operation);
    String shape = op == null ? null : op.path(direction).path("shape").asText(null);
    return shape == null ? null : member(shape, member);
  }

  /**
   * The shape that a member of an operation's input holds in the model ({@code CreateQueue}'s
   * {@code QueueName} holds {@code String}), or null.
   */
  public String inputMemberShape(String operation, String member) {
    if (model == null) {
      return null;
    }
    JsonNode op = operation(operation);
    String shape = op == null ? null : op.path("input").path("shape").asText(null);
    return shape == null ? null : memberShape(shape, member);
  }

  /** The shape a member of a structure holds, or null. */
  String memberShape(String structure, String member) {
    return model
        .path("shapes")
        .path(structure)
        .path("members")
        .path(member)
        .path("shape")
        .asText(null);
  }

  /** A shape of the model, or a missing node. */
  JsonNode shape(String name) {
    return model == null || name == null
        ? MissingNode.getInstance()
        : model.path("shapes").path(name);
  }

  /** An operation of the model; the SDK for Java spells some differently (CreateDbInstance). */
  private JsonNode operation(String operation) {
    String wanted = operation.toLowerCase(Locale.ROOT);
    var operations = model.path("operations").fields();
    while (operations.hasNext()) {
      var op = operations.next();
      if (op.getKey().toLowerCase(Locale.ROOT).equals(wanted)) {
        return op.getValue();
      }
    }
    return null;
  }

  /** The model's HTML as plain text: paragraphs on lines of their own, no tags. */
  static String text(JsonNode documentation) {
    if (documentation == null || !documentation.isTextual()) {
      return null;
    }
    String text = PARAGRAPH.matcher(documentation.asText()).replaceAll("\n\n");
    text = BREAK.matcher(text).replaceAll("\n");
    text = TAG.matcher(text).replaceAll("");
    text =
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&");
    StringBuilder lines = new StringBuilder();
    for (String line : text.split("\n")) {
      lines.append(line.strip().replaceAll("\\s+", " ")).append('\n');
    }
    String result = BLANK_LINES.matcher(lines.toString().strip()).replaceAll("\n\n");
    return result.isEmpty() ? null : result;
  }
}

package dev.jack.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The AWS model's constraints on input values, written into a spec field's OpenAPI schema: the
 * lengths of strings ({@code minLength}, {@code maxLength}), their patterns, the ranges of numbers
 * ({@code minimum}, {@code maximum}) and the sizes of lists and maps, so that the API server
 * rejects a value AWS would reject, naming the field, before any AWS call.
 *
 * <p>Never stricter than the model: a pattern keeps the model's meaning (unanchored, as Smithy's
 * {@code @pattern} is) and is written only when RE2, the API server's engine, reads it as the
 * model's Java-style dialect does; one with look-around, POSIX classes, surrogates, possessive
 * quantifiers or a repeat count over RE2's 1000 is left out, as is one that matches every string.
 * Enums are left out: AWS adds values before a model lists them, and ACK's CRDs accept any.
 */
final class ModelConstraints {

  private static final Pattern UNICODE_ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})");

  /** What RE2 does not read, or reads otherwise, in the model's patterns. */
  private static final Pattern NOT_RE2 =
      Pattern.compile(
          "\\(\\?[=!<>]" // look-around, atomic groups
              + "|\\\\p\\{(?:Print|ASCII|Graph|Alpha|Alnum|Punct|Upper|Lower|Space|Cntrl|XDigit"
              + "|Digit|Blank|java\\w*|Is\\w*)\\}" // POSIX and Java classes
              + "|[*+?}][+]" // possessive quantifiers
              + "|\\\\[1-9]|\\\\[QEZGRhHVXk]" // back-references and escapes RE2 lacks
              + "|&&" // class intersection
              + "|\\{[0-9]*,?[0-9]*(?:[0-9]{5}|[2-9][0-9]{3}|1[0-9]{3})\\}"); // RE2 counts to 1000

  private final ModelDocs model;

  ModelConstraints(ModelDocs model) {
    this.model = model;
  }

  /**
   * Adds the constraints of the model's shape {@code shapeName} to {@code schema}, and of its
   * members, elements and values to the schemas of theirs. A schema whose type differs from the
   * shape's (a number the CRD holds as a string, a Secret reference) gets none.
   */
  @SuppressWarnings("unchecked")
  void apply(Map<String, Object> schema, String shapeName) {
    JsonNode shape = model.shape(shapeName);
    if (shape.isMissingNode()) {
      return;
    }
    String modelType = shape.path("type").asText("");
    Object type = schema.get("type");
    if ("string".equals(type) && modelType.equals("string") && !schema.containsKey("format")) {
      putSize(schema, shape, "minLength", "maxLength");
      String pattern = re2(shape.path("pattern").asText(null));
      if (pattern != null) {
        schema.put("pattern", pattern);
      }
    } else if (("integer".equals(type) || "number".equals(type))
        && modelType.matches("integer|long|float|double")) {
      if (shape.path("min").isNumber()) {
        schema.put("minimum", shape.path("min").numberValue());
      }
      if (shape.path("max").isNumber()) {
        schema.put("maximum", shape.path("max").numberValue());
      }
    } else if ("array".equals(type) && modelType.equals("list")) {
      putSize(schema, shape, "minItems", "maxItems");
      if (schema.get("items") instanceof Map<?, ?> items) {
        apply((Map<String, Object>) items, shape.path("member").path("shape").asText(null));
      }
    } else if ("object".equals(type) && modelType.equals("map")) {
      putSize(schema, shape, "minProperties", "maxProperties");
      if (schema.get("additionalProperties") instanceof Map<?, ?> values) {
        apply((Map<String, Object>) values, shape.path("value").path("shape").asText(null));
      }
    } else if ("object".equals(type)
        && modelType.equals("structure")
        && schema.get("properties") instanceof Map<?, ?> properties) {
      Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields();
      while (members.hasNext()) {
        Map.Entry<String, JsonNode> member = members.next();
        for (Map.Entry<?, ?> property : properties.entrySet()) {
          if (normal(property.getKey().toString()).equals(normal(member.getKey()))
              && property.getValue() instanceof Map<?, ?> memberSchema) {
            apply((Map<String, Object>) memberSchema, member.getValue().path("shape").asText(null));
          }
        }
      }
    }
  }

  /** A lower bound above zero and any upper bound, as the schema's size keywords. */
  private static void putSize(Map<String, Object> schema, JsonNode shape, String min, String max) {
    if (shape.path("min").canConvertToLong() && shape.path("min").asLong() > 0) {
      schema.put(min, shape.path("min").asLong());
    }
    if (shape.path("max").canConvertToLong()) {
      schema.put(max, shape.path("max").asLong());
    }
  }

  /** How the CRD names a member: its letters and digits, in any case. */
  private static String normal(String name) {
    return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
  }

  /**
   * The model's pattern as RE2 writes it ({@code \u0020} is {@code \x{0020}}), or null when RE2
   * would not read it as the model means it, or it matches every string.
   */
  static String re2(String pattern) {
    if (pattern == null || pattern.isEmpty() || NOT_RE2.matcher(pattern).find()) {
      return null;
    }
    try {
      if (!pattern.contains("^")
          && !pattern.contains("$")
          && Pattern.compile(pattern).matcher("").find()) {
        return null; // unanchored and matching the empty string: it matches every string
      }
    } catch (PatternSyntaxException e) {
      return null;
    }
    Matcher escape = UNICODE_ESCAPE.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (escape.find()) {
      int codePoint = Integer.parseInt(escape.group(1), 16);
      if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
        return null; // a surrogate: no UTF-8 string holds one
      }
      escape.appendReplacement(out, Matcher.quoteReplacement("\\x{" + escape.group(1) + "}"));
    }
    escape.appendTail(out);
    return out.toString();
  }
}

package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The spec fields whose desired value AWS does not have. Only what the user set is compared:
 * fields, structure members and map keys left unset are AWS's to choose, and tags that others added
 * to the resource are left alone.
 */
public record Delta(List<String> fields) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  public boolean contains(String field) {
    return fields.contains(field);
  }

  /**
   * Compares the desired spec with the latest one.
   *
   * @param tagsPath the CRD path of the tags, compared as key/value pairs, or null
   * @param tagKey the CRD name of a tag's key in a list of tags, or null for a map
   */
  public static Delta between(
      ObjectNode desired, ObjectNode latest, String tagsPath, String tagKey, String tagValue) {
    return between(desired, latest, tagsPath, tagKey, tagValue, java.util.Set.of());
  }

  /**
   * Compares the desired spec with the latest one.
   *
   * @param unordered top-level fields that are lists whose order means nothing
   */
  public static Delta between(
      ObjectNode desired,
      ObjectNode latest,
      String tagsPath,
      String tagKey,
      String tagValue,
      java.util.Set<String> unordered) {
    List<String> differing = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = desired.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      boolean same =
          unordered.contains(name)
              ? coversAsSet(latest.get(name), field.getValue())
              : covers(latest.get(name), field.getValue(), name, tagsPath, tagKey, tagValue);
      if (!same) {
        differing.add(name);
      }
    }
    return new Delta(List.copyOf(differing));
  }

  /** Whether {@code observed} has every value that {@code desired} sets (AWS may add more). */
  public static boolean covers(JsonNode observed, JsonNode desired) {
    return covers(observed, desired, "", null, null, null);
  }

  /** Whether {@code observed} has every value that {@code desired} sets. */
  static boolean covers(
      JsonNode observed,
      JsonNode desired,
      String path,
      String tagsPath,
      String tagKey,
      String tagValue) {
    if (desired == null || desired.isNull()) {
      return true;
    }
    if (observed == null || observed.isNull()) {
      // AWS omits what is empty or false (a standard queue has no FifoQueue attribute).
      return isEmptyValue(desired) || isFalse(desired);
    }
    if (path.equals(tagsPath)) {
      return tags(observed, tagKey, tagValue)
          .entrySet()
          .containsAll(tags(desired, tagKey, tagValue).entrySet());
    }
    if (desired.isObject()) {
      if (!observed.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> members = desired.fields();
      while (members.hasNext()) {
        Map.Entry<String, JsonNode> member = members.next();
        String memberPath = path + "." + member.getKey();
        if (!covers(
            observed.get(member.getKey()),
            member.getValue(),
            memberPath,
            tagsPath,
            tagKey,
            tagValue)) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!observed.isArray() || observed.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(observed.get(i), desired.get(i), path + "[]", tagsPath, tagKey, tagValue)) {
          return false;
        }
      }
      return true;
    }
    return scalarEquals(observed, desired);
  }

  private static boolean isEmptyValue(JsonNode desired) {
    return (desired.isContainerNode() && desired.isEmpty())
        || (desired.isTextual() && desired.asText().isEmpty());
  }

  /** Whether each desired element has its own observed element that covers it, in any order. */
  private static boolean coversAsSet(JsonNode observed, JsonNode desired) {
    if (desired == null || desired.isNull() || !desired.isArray()) {
      return covers(observed, desired);
    }
    if (observed == null || !observed.isArray() || observed.size() != desired.size()) {
      return (observed == null || observed.isNull()) && desired.isEmpty();
    }
    List<JsonNode> left = new ArrayList<>();
    observed.forEach(left::add);
    for (JsonNode wanted : desired) {
      JsonNode match = left.stream().filter(o -> covers(o, wanted)).findFirst().orElse(null);
      if (match == null) {
        return false;
      }
      left.remove(match);
    }
    return true;
  }

  private static boolean isFalse(JsonNode desired) {
    return (desired.isBoolean() && !desired.booleanValue())
        || (desired.isTextual() && desired.asText().equals("false"));
  }

  private static boolean scalarEquals(JsonNode observed, JsonNode desired) {
    String a = urlDecodedJson(observed.asText());
    String b = desired.asText();
    if (a.equals(b)) {
      return true;
    }
    // Policies and other JSON documents held in strings: compared as JSON, where AWS may add
    // members and write "3" as 3.
    if (looksLikeJson(a) && looksLikeJson(b)) {
      try {
        return covers(JSON.readTree(a), JSON.readTree(b), "", null, null, null);
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  /** IAM returns policy documents URL-encoded ({@code %7B%22Version%22...}). */
  private static String urlDecodedJson(String text) {
    if (text.startsWith("%7B") || text.startsWith("%5B")) {
      try {
        return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return text;
      }
    }
    return text;
  }

  private static boolean looksLikeJson(String s) {
    String t = s.trim();
    return t.startsWith("{") || t.startsWith("[");
  }

  private static Map<String, String> tags(JsonNode node, String keyField, String valueField) {
    Map<String, String> tags = new HashMap<>();
    if (node.isObject() && keyField == null) {
      node.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    } else if (node.isArray()) {
      node.forEach(t -> tags.put(t.path(keyField).asText(), t.path(valueField).asText()));
    }
    return tags;
  }
}

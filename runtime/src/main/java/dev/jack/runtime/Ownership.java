package dev.jack.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What jack applied to one resource in AWS: the spec fields and the tag keys. Removing one of them
 * from the spec removes it in AWS; what jack never applied (other tools' tags, configurations set
 * in the console) is never touched. Kept in the resource's annotation {@value #ANNOTATION}.
 *
 * @param fields the spec fields jack applied
 * @param tags the tag keys jack applied
 * @param unobserved for fields AWS never returns, a digest of the value jack applied last: a change
 *     of the spec shows as a new digest
 * @param references the values references resolved to, by spec path: the resource is deleted with
 *     them even when what it referenced is gone
 * @param items for fields that are sets of items added one by one (attached policies), the items
 *     jack added
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Ownership(
    Set<String> fields,
    Set<String> tags,
    Map<String, String> unobserved,
    Map<String, JsonNode> references,
    Map<String, Set<String>> items) {

  public static final String ANNOTATION = "jack.dev/owned";

  public static final Ownership NONE =
      new Ownership(Set.of(), Set.of(), Map.of(), Map.of(), Map.of());

  private static final ObjectMapper JSON = new ObjectMapper();

  public Ownership {
    fields = fields == null ? Set.of() : Set.copyOf(fields);
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    unobserved = unobserved == null ? Map.of() : Map.copyOf(unobserved);
    references = references == null ? Map.of() : Map.copyOf(references);
    items = items == null ? Map.of() : Map.copyOf(items);
  }

  private Map<String, Set<String>> sortedItems() {
    Map<String, Set<String>> sorted = new TreeMap<>();
    items.forEach((field, values) -> sorted.put(field, new TreeSet<>(values)));
    return sorted;
  }

  /**
   * A short digest of a value, to tell whether it changed without keeping it (it may be secret).
   */
  public static String digest(JsonNode value) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(value.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the annotation's value; a value jack cannot read owns nothing. */
  public static Ownership parse(String annotation) {
    if (annotation == null || annotation.isBlank()) {
      return NONE;
    }
    try {
      return JSON.readValue(annotation, Ownership.class);
    } catch (IOException e) {
      return NONE;
    }
  }

  /** The annotation's value, with sorted names so that equal ownership reads equal. */
  public String serialize() {
    try {
      return JSON.writeValueAsString(
          new Ownership(
              new TreeSet<>(fields),
              new TreeSet<>(tags),
              new TreeMap<>(unobserved),
              new TreeMap<>(references),
              sortedItems()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.jack.runtime;

import static java.util.Collections.unmodifiableSortedMap;
import static java.util.Collections.unmodifiableSortedSet;

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

  /** Holds sorted copies, so that equal ownership serializes equal in every process. */
  public Ownership {
    fields = sorted(fields);
    tags = sorted(tags);
    unobserved = unobserved == null ? Map.of() : unmodifiableSortedMap(new TreeMap<>(unobserved));
    references = references == null ? Map.of() : unmodifiableSortedMap(new TreeMap<>(references));
    TreeMap<String, Set<String>> sortedItems = new TreeMap<>();
    if (items != null) {
      items.forEach((field, values) -> sortedItems.put(field, sorted(values)));
    }
    items = unmodifiableSortedMap(sortedItems);
  }

  private static Set<String> sorted(Set<String> values) {
    return values == null ? Set.of() : unmodifiableSortedSet(new TreeSet<>(values));
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

  /** The annotation's value, names sorted: equal ownership reads equal. */
  public String serialize() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

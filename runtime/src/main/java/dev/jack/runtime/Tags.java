package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tags a resource should carry: jack's defaults, then the user's. */
public final class Tags {

  private Tags() {}

  /** The defaults plus the user's tags from a map or a list of key/value objects. */
  public static Map<String, String> desired(
      Map<String, String> defaults, JsonNode userTags, String keyField, String valueField) {
    Map<String, String> tags = new LinkedHashMap<>(defaults);
    if (userTags == null || userTags.isNull()) {
      return tags;
    }
    if (userTags.isObject()) {
      userTags.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    } else if (userTags.isArray()) {
      userTags.forEach(t -> tags.put(t.path(keyField).asText(), t.path(valueField).asText()));
    }
    return tags;
  }
}

package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jack.api.descriptor.KindDescriptor;

/**
 * Whether AWS calls a resource ready, as its kind's readiness rule says (a table {@code ACTIVE}):
 * ready, still on its way (with what it waits for), or in a state it can never leave.
 */
record Readiness(boolean ready, boolean failed, String message) {

  private static final Readiness READY = new Readiness(true, false, null);

  /** Whether AWS shows the resource in a state that means it deleted it (KMS PendingDeletion). */
  static boolean gone(KindDescriptor descriptor, ResourceState latest) {
    KindDescriptor.Readiness rule = descriptor.ready();
    if (rule == null || rule.gone().isEmpty()) {
      return false;
    }
    JsonNode value = latest.at(rule.path());
    return value != null && rule.gone().contains(value.asText());
  }

  static Readiness of(KindDescriptor descriptor, ResourceState latest) {
    KindDescriptor.Readiness rule = descriptor.ready();
    if (rule == null) {
      return READY;
    }
    JsonNode value = latest.at(rule.path());
    String state = value == null ? "" : value.asText();
    if (rule.values().contains(state)) {
      return READY;
    }
    String field = rule.path().substring(rule.path().indexOf('.') + 1);
    if (rule.failed().contains(state)) {
      return new Readiness(
          false,
          true,
          "AWS reports "
              + field
              + " "
              + state
              + ": the "
              + descriptor.kind()
              + " cannot become ready; delete it, and check its settings");
    }
    return new Readiness(
        false,
        false,
        "Waiting for AWS: "
            + field
            + " is "
            + (state.isEmpty() ? "unknown" : state)
            + ", ready when "
            + String.join(" or ", rule.values()));
  }
}

package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One resource's state as CRD JSON: the spec (desired, or as AWS has it) and the kind's own status
 * fields (identifiers and observed values), plus its ARN.
 */
public final class ResourceState {

  private final ObjectNode spec;
  private final ObjectNode status;
  private String arn;
  private Ownership owned = Ownership.NONE;
  private String uid;
  private java.util.Map<String, JsonNode> resolvedReferences = java.util.Map.of();
  private boolean readEverything;
  private boolean claimed;
  private Secrets.Resolution secrets;

  public ResourceState(ObjectNode spec, ObjectNode status, String arn) {
    this.spec = spec;
    this.status = status;
    this.arn = arn;
  }

  public static ResourceState empty() {
    return new ResourceState(
        JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode(), null);
  }

  public ObjectNode spec() {
    return spec;
  }

  public ObjectNode status() {
    return status;
  }

  public String arn() {
    return arn;
  }

  /** The values this state's references resolved to, by spec path. */
  public java.util.Map<String, JsonNode> resolvedReferences() {
    return resolvedReferences;
  }

  public void setResolvedReferences(java.util.Map<String, JsonNode> values) {
    this.resolvedReferences = java.util.Map.copyOf(values);
  }

  /**
   * Whether jack recorded where the resource lives (region, account) before a create: without the
   * identifiers AWS assigns, a create may have happened whose answer never arrived.
   */
  public boolean claimed() {
    return claimed;
  }

  public void setClaimed(boolean claimed) {
    this.claimed = claimed;
  }

  /** The Kubernetes resource's UID, or null: the same on every attempt to create it. */
  public String uid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }

  /** What jack applied to this resource before: the spec fields and tag keys it owns. */
  public Ownership owned() {
    return owned;
  }

  public void setOwned(Ownership owned) {
    this.owned = owned;
  }

  /** The tag keys jack applied before. */
  public java.util.Set<String> ownedTags() {
    return owned.tags();
  }

  /**
   * Whether a read reads every configuration and the tags, not only those the spec sets or jack
   * applied: adopting a resource takes all that AWS has into the spec.
   */
  public boolean readEverything() {
    return readEverything;
  }

  public void setReadEverything(boolean readEverything) {
    this.readEverything = readEverything;
  }

  /** The values of the spec's secret references, or null when jack did not read them. */
  Secrets.Resolution secrets() {
    return secrets;
  }

  void setSecrets(Secrets.Resolution secrets) {
    this.secrets = secrets;
  }

  /**
   * A spec field's value as AWS gets it: with the Secrets' values in place of its secret
   * references. Only requests to AWS take it; the spec keeps the references.
   */
  JsonNode sent(String field) {
    JsonNode value = secrets == null ? null : secrets.values().get(field);
    return value != null ? value : spec.get(field);
  }

  public void setArn(String arn) {
    this.arn = arn;
  }

  /** A spec field's text, or null when unset. */
  public String specText(String field) {
    JsonNode value = spec.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /**
   * The value at a path of the resource: {@code spec.a.b}, {@code status.x} or {@code arn}; null
   * when unset.
   */
  public JsonNode at(String path) {
    if (path.equals("arn")) {
      return arn == null ? null : JsonNodeFactory.instance.textNode(arn);
    }
    String[] parts = path.split("\\.");
    JsonNode node =
        switch (parts[0]) {
          case "spec" -> spec;
          case "status" -> status;
          default -> throw new IllegalArgumentException("no resource path " + path);
        };
    for (int i = 1; i < parts.length && node != null; i++) {
      String part = parts[i];
      int bracket = part.indexOf('[');
      if (bracket > 0 && part.endsWith("]")) {
        // An element of a list: cidrBlocks[0].
        node = node.get(part.substring(0, bracket));
        node =
            node == null
                ? null
                : node.get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      } else {
        node = node.get(part);
      }
    }
    return node == null || node.isNull() ? null : node;
  }

  /**
   * Sets the value at a path of the spec or status ({@code spec.a.b}), creating objects on the way.
   */
  public void put(String path, JsonNode value) {
    String[] parts = path.split("\\.");
    ObjectNode node =
        switch (parts[0]) {
          case "spec" -> spec;
          case "status" -> status;
          default -> throw new IllegalArgumentException("no resource path " + path);
        };
    for (int i = 1; i < parts.length - 1; i++) {
      node = node.with(parts[i]);
    }
    node.set(parts[parts.length - 1], value);
  }

  public ResourceState copy() {
    ResourceState copy = new ResourceState(spec.deepCopy(), status.deepCopy(), arn);
    copy.setOwned(owned);
    copy.setUid(uid);
    copy.setClaimed(claimed);
    copy.setResolvedReferences(resolvedReferences);
    copy.setReadEverything(readEverything);
    copy.setSecrets(secrets);
    return copy;
  }
}

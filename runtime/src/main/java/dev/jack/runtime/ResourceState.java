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

  public void setArn(String arn) {
    this.arn = arn;
  }

  /** A spec field's text, or null when unset. */
  public String specText(String field) {
    JsonNode value = spec.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A status field's text, or null when unset. */
  public String statusText(String field) {
    JsonNode value = status.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  public ResourceState copy() {
    return new ResourceState(spec.deepCopy(), status.deepCopy(), arn);
  }
}

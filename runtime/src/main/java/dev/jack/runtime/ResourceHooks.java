package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A kind's exceptions to what the generic resource manager does from the descriptor; each kind that
 * needs one implements only the hook points it needs. See {@code docs/adding-a-service.md}.
 */
public interface ResourceHooks {

  /** No exceptions. */
  ResourceHooks NONE = new ResourceHooks() {};

  /**
   * Adjusts the members of a request before it is sent, by AWS member name: a value AWS wants in
   * another form, a member derived from others.
   *
   * @param operation the operation about to be called
   * @param desired the resource as the spec wants it, references resolved
   */
  default void beforeCall(
      String operation, Map<String, JsonNode> members, ResourceState desired, AwsContext aws) {}

  /**
   * Changes a field configured {@code update-by-hook} in AWS to its value in {@code desired}.
   *
   * @return whether the hook handled the field
   */
  default boolean update(
      String field, ResourceState desired, ResourceState latest, AwsContext aws) {
    return false;
  }

  /**
   * Completes the state just read from AWS: spec fields that AWS returns in another form or from
   * other operations, read only when {@code desired} sets them.
   *
   * @param output the read output (inside its wrapper) by AWS member name
   */
  default void afterRead(
      ResourceState latest, Map<String, JsonNode> output, ResourceState desired, AwsContext aws) {}
}

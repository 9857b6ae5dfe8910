package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attributes map of kinds like SQS's Queue and SNS's Topic: spec fields that AWS takes and
 * returns as one map of strings.
 */
public final class Attributes {

  private Attributes() {}

  /** The set spec fields, by AWS attribute name; restricted to {@code only} when it is not null. */
  public static Map<String, String> fromSpec(
      KindDescriptor descriptor, ResourceState state, java.util.Collection<String> only) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (FieldDescriptor field : descriptor.spec()) {
      if (field.origin() != Origin.ATTRIBUTE || (only != null && !only.contains(field.name()))) {
        continue;
      }
      JsonNode value = state.spec().get(field.name());
      if (value != null && !value.isNull()) {
        attributes.put(field.awsName(), value.asText());
      }
    }
    return attributes;
  }

  /** Copies AWS's attributes into the spec and status fields they belong to. */
  public static void toState(
      KindDescriptor descriptor, Map<String, String> attributes, ResourceState state) {
    for (FieldDescriptor field : descriptor.spec()) {
      if (field.origin() == Origin.ATTRIBUTE && attributes.containsKey(field.awsName())) {
        state.spec().put(field.name(), attributes.get(field.awsName()));
      }
    }
    for (FieldDescriptor field : descriptor.status()) {
      if (field.origin() == Origin.ATTRIBUTE && attributes.containsKey(field.awsName())) {
        state.status().put(field.name(), attributes.get(field.awsName()));
      }
    }
    FieldDescriptor arn = descriptor.arn();
    if (arn != null && arn.origin() == Origin.ATTRIBUTE && attributes.containsKey(arn.awsName())) {
      state.setArn(attributes.get(arn.awsName()));
    }
  }
}

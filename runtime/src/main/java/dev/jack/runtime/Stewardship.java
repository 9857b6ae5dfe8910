package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.runtime.FeatureGates.Gate;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Whether jack may write a resource, from ACK's annotations: jack manages what it created (or ACK
 * did before it) and what the user asked it to adopt; it only observes a read-only resource; and it
 * never takes over an AWS resource that merely has the same name.
 */
final class Stewardship {

  static final String ADOPTION_POLICY = "services.k8s.aws/adoption-policy";
  static final String ADOPTION_FIELDS = "services.k8s.aws/adoption-fields";

  /**
   * jack's own, written by jack: the identifiers with which another cluster adopts the resource, as
   * the JSON that {@link #ADOPTION_FIELDS} takes. An annotation, not a status field, so that the
   * resource's schema stays ACK's: with ACK's CRDs installed, a status field of jack's own would
   * make the API server refuse every status write.
   */
  static final String ADOPTION_FIELDS_RECORD = "jack.dev/adoption-fields";

  static final String ADOPTED = "services.k8s.aws/adopted";
  static final String READ_ONLY = "services.k8s.aws/read-only";

  /**
   * Written by jack on a resource it observed read-only: removing the read-only annotation later
   * does not make jack manage what it never created (that takes an adoption policy).
   */
  static final String OBSERVED = "jack.dev/observed-read-only";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** ACK's adoption policies. */
  enum Policy {
    /** The resource must exist: the spec takes AWS's values, nothing is created or written. */
    ADOPT,
    /** Adopt when it exists (the spec is then applied to it), create it otherwise. */
    ADOPT_OR_CREATE;

    /** The annotation's value. */
    String label() {
      return this == ADOPT ? "adopt" : "adopt-or-create";
    }
  }

  private final KindDescriptor descriptor;
  private final FeatureGates gates;

  Stewardship(KindDescriptor descriptor, FeatureGates gates) {
    this.descriptor = descriptor;
    this.gates = gates;
  }

  /** Whether the resource is only observed: the annotation, with the ReadOnlyResources gate on. */
  boolean readOnly(CustomResource<?, ?> resource) {
    return gates.enabled(Gate.ReadOnlyResources)
        && "true".equalsIgnoreCase(ResourcePolicy.annotation(resource, READ_ONLY));
  }

  /** Whether jack observed the resource read-only once, and so never took it over. */
  static boolean observedOnly(CustomResource<?, ?> resource) {
    return ResourcePolicy.annotation(resource, OBSERVED) != null;
  }

  static boolean adopted(CustomResource<?, ?> resource) {
    return "true".equalsIgnoreCase(ResourcePolicy.annotation(resource, ADOPTED));
  }

  /**
   * The adoption policy the resource asks for, or null.
   *
   * @throws TerminalException for a value that is not a policy, or a policy with the
   *     ResourceAdoption gate off (jack would otherwise report the resource as not its own)
   */
  Policy policy(CustomResource<?, ?> resource) {
    String value = ResourcePolicy.annotation(resource, ADOPTION_POLICY);
    if (value == null) {
      return null;
    }
    Policy policy =
        switch (value.trim().toLowerCase(Locale.ROOT)) {
          case "adopt" -> Policy.ADOPT;
          case "adopt-or-create" -> Policy.ADOPT_OR_CREATE;
          default ->
              throw new TerminalException(
                  "unrecognized adoption policy '"
                      + value
                      + "' in "
                      + ADOPTION_POLICY
                      + ": use 'adopt' or 'adopt-or-create'");
        };
    if (!gates.enabled(Gate.ResourceAdoption)) {
      throw new TerminalException(
          ADOPTION_POLICY
              + " is set, but the controller runs with the ResourceAdoption feature gate off"
              + " (--feature-gates): ask the platform team to enable it, or remove the annotation");
    }
    return policy;
  }

  /**
   * Puts the identifiers of {@code services.k8s.aws/adoption-fields} (a JSON object of spec or
   * status field names, or {@code arn}) into {@code desired}, so that the read finds the AWS
   * resource to adopt. Without the annotation the spec's own identifiers (a name) are used.
   */
  void applyFields(CustomResource<?, ?> resource, ResourceState desired) {
    String text = ResourcePolicy.annotation(resource, ADOPTION_FIELDS);
    if (text == null) {
      return;
    }
    JsonNode fields;
    try {
      fields = JSON.readTree(text);
    } catch (Exception e) {
      throw new TerminalException(
          "error unmarshalling adoption-fields annotation "
              + ADOPTION_FIELDS
              + ": it must be a JSON object such as {\"name\": \"my-queue\"} ("
              + e.getMessage()
              + ")");
    }
    if (fields == null || !fields.isObject()) {
      throw new TerminalException(
          ADOPTION_FIELDS + " must be a JSON object such as {\"name\": \"my-queue\"}, not " + text);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (name.equals("arn")) {
        desired.setArn(field.getValue().asText());
      } else if (has(descriptor.spec(), name)) {
        desired.spec().set(name, field.getValue());
      } else if (has(descriptor.status(), name)) {
        desired.status().set(name, field.getValue());
      } else {
        throw new TerminalException(
            ADOPTION_FIELDS
                + " names '"
                + name
                + "', which is no field of "
                + descriptor.kind()
                + ": use 'arn' or its spec or status fields");
      }
    }
  }

  /**
   * The spec values that adopting with {@link Policy#ADOPT} takes from AWS: every field AWS
   * returned, except those the spec sets through a reference, and without AWS's own tags ({@code
   * aws:*}), which no one can write.
   */
  ObjectNode adoptedSpec(ResourceState desired, ResourceState latest) {
    ObjectNode values = JSON.createObjectNode();
    for (FieldDescriptor field : descriptor.spec()) {
      JsonNode theirs = latest.spec().get(field.name());
      if (theirs == null || theirs.isNull() || referenced(desired, field.name())) {
        continue;
      }
      values.set(field.name(), theirs.deepCopy());
    }
    KindDescriptor.TagsDescriptor tags = descriptor.tags();
    if (tags != null && !tags.path().contains(".") && values.has(tags.path())) {
      values.set(tags.path(), withoutAwsTags(values.get(tags.path()), tags));
    }
    return values;
  }

  private boolean referenced(ResourceState desired, String field) {
    KindDescriptor.ReferenceDescriptor reference = descriptor.references().get(field);
    return reference != null && desired.spec().hasNonNull(reference.field());
  }

  private static JsonNode withoutAwsTags(JsonNode tags, KindDescriptor.TagsDescriptor descriptor) {
    if (tags.isObject()) {
      ObjectNode kept = JSON.createObjectNode();
      tags.fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().startsWith("aws:")) {
                  kept.set(e.getKey(), e.getValue());
                }
              });
      return kept;
    }
    if (tags.isArray()) {
      String key = GenericResourceManager.crdName(descriptor.keyMember());
      ArrayNode kept = JSON.createArrayNode();
      tags.forEach(
          t -> {
            if (!t.path(key).asText().startsWith("aws:")) {
              kept.add(t);
            }
          });
      return kept;
    }
    return tags;
  }

  /**
   * The identifiers another cluster needs to adopt the resource, in the form {@link #applyFields}
   * takes: what the kind's read is called with (spec and status fields, or the ARN), but not the
   * spec fields a reference sets, which the adopting manifest references too.
   */
  Map<String, String> adoptionFields(ResourceState desired, ResourceState latest) {
    Map<String, String> fields = new java.util.TreeMap<>();
    Map<String, KindDescriptor.Input> inputs =
        descriptor.inputs() == null
            ? null
            : descriptor.inputs().get(descriptor.operations().read());
    if (inputs == null) {
      return fields;
    }
    for (KindDescriptor.Input input : inputs.values()) {
      String from = input.from();
      if (from == null) {
        continue;
      }
      String[] path = from.split("\\.");
      if (from.equals("arn") || from.equals("arn-id")) {
        if (latest.arn() != null) {
          fields.put("arn", latest.arn());
        }
      } else if (path[0].equals("status") && path.length > 1) {
        JsonNode value = latest.status().get(path[1]);
        if (value != null && value.isValueNode() && !value.isNull()) {
          fields.put(path[1], value.asText());
        }
      } else if (path[0].equals("spec") && path.length > 1 && !referenced(desired, path[1])) {
        JsonNode value = desired.spec().get(path[1]);
        if (value != null && value.isValueNode() && !value.isNull()) {
          fields.put(path[1], value.asText());
        }
      }
    }
    return fields;
  }

  private static boolean has(java.util.List<FieldDescriptor> fields, String name) {
    return fields.stream().anyMatch(f -> f.name().equals(name));
  }
}

package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.AckCondition;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.ReferenceDescriptor;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves a resource's {@code xxxRef: {from: {name, namespace}}} fields into the values they stand
 * for (the referenced resource's ARN, ID or name), once each referenced resource is synced. The
 * resolved values go into the desired state that jack sends to AWS, never into the user's spec.
 */
final class References {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A referenced resource that is missing or not synced yet: the resource waits for it. */
  static final class NotReady extends RuntimeException {
    private final String target;

    NotReady(String message, String target) {
      super(message);
      this.target = target;
    }

    /** The referenced resource, as {@link ReferenceWatch#key} names it. */
    String target() {
      return target;
    }
  }

  /** The reason of the ACK.Advisory condition of a reference into another namespace, as ACK's. */
  static final String CROSS_NAMESPACE_REASON = "CrossNamespaceOptInRequired";

  private final KindDescriptor descriptor;
  private final boolean crossNamespace;

  /**
   * @param crossNamespace {@code --enable-cross-namespace}: references into other namespaces are
   *     allowed (and noted); otherwise they are Terminal
   */
  References(KindDescriptor descriptor, boolean crossNamespace) {
    this.descriptor = descriptor;
    this.crossNamespace = crossNamespace;
  }

  /**
   * What a resolution found: how many references, and the values of those outside lists by their
   * spec path ({@code apiID}), which jack records to delete the resource even once the referenced
   * one is gone.
   */
  record Resolution(int count, Map<String, JsonNode> values, List<String> otherNamespaces) {}

  /**
   * Replaces every reference in {@code spec} by its value.
   *
   * @throws NotReady when a referenced resource is missing or not synced
   * @throws TerminalException when a field and its reference are both set
   */
  Resolution resolve(ObjectNode spec, String namespace, KubernetesClient client) {
    int resolved = 0;
    Map<String, JsonNode> values = new java.util.TreeMap<>();
    List<String> otherNamespaces = new java.util.ArrayList<>();
    for (Map.Entry<String, ReferenceDescriptor> entry : descriptor.references().entrySet()) {
      String path = entry.getKey().replace("[]", "");
      ReferenceDescriptor reference = entry.getValue();
      int dot = path.lastIndexOf('.');
      String valueField = path.substring(dot + 1);
      for (ObjectNode holder :
          holders(spec, dot < 0 ? List.of() : List.of(path.substring(0, dot).split("\\.")))) {
        JsonNode ref = holder.get(reference.field());
        if (ref == null || ref.isNull()) {
          continue;
        }
        String refPath = (dot < 0 ? "" : path.substring(0, dot + 1)) + reference.field();
        if (holder.hasNonNull(valueField)) {
          throw new TerminalException(
              "spec."
                  + path
                  + " and spec."
                  + refPath
                  + " are both set: set one of them, the value or the reference");
        }
        if (reference.list()) {
          ArrayNode list = JsonNodeFactory.instance.arrayNode();
          for (JsonNode one : ref) {
            list.add(value(one, refPath, reference, namespace, client, otherNamespaces));
            resolved++;
          }
          holder.set(valueField, list);
        } else {
          holder.put(
              valueField, value(ref, refPath, reference, namespace, client, otherNamespaces));
          resolved++;
        }
        holder.remove(reference.field());
        if (!entry.getKey().contains("[]")) {
          values.put(path, holder.get(valueField));
        }
      }
    }
    return new Resolution(resolved, values, otherNamespaces);
  }

  /**
   * Puts values recorded by an earlier resolution in place of the references they resolved (a
   * resource being deleted after what it references).
   */
  void applyRecorded(ObjectNode spec, Map<String, JsonNode> recorded) {
    for (Map.Entry<String, ReferenceDescriptor> entry : descriptor.references().entrySet()) {
      JsonNode value = recorded.get(entry.getKey());
      if (value == null || entry.getKey().contains("[]")) {
        continue;
      }
      String path = entry.getKey();
      int dot = path.lastIndexOf('.');
      for (ObjectNode holder :
          holders(spec, dot < 0 ? List.of() : List.of(path.substring(0, dot).split("\\.")))) {
        if (holder.hasNonNull(entry.getValue().field())
            && !holder.hasNonNull(path.substring(dot + 1))) {
          holder.set(path.substring(dot + 1), value);
          holder.remove(entry.getValue().field());
        }
      }
    }
  }

  /** The objects at a path of the spec, through lists. */
  private static List<ObjectNode> holders(ObjectNode spec, List<String> path) {
    List<JsonNode> current = List.of(spec);
    for (String part : path) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        JsonNode child = node.get(part);
        if (child != null && child.isArray()) {
          child.forEach(next::add);
        } else if (child != null && child.isObject()) {
          next.add(child);
        }
      }
      current = next;
    }
    List<ObjectNode> objects = new ArrayList<>();
    current.forEach(
        n -> {
          if (n.isObject()) {
            objects.add((ObjectNode) n);
          }
        });
    return objects;
  }

  private String value(
      JsonNode ref,
      String refPath,
      ReferenceDescriptor reference,
      String namespace,
      KubernetesClient client,
      List<String> otherNamespaces) {
    JsonNode from = ref.path("from");
    String name = from.path("name").asText(null);
    if (name == null || name.isBlank()) {
      throw new TerminalException("spec." + refPath + ".from.name is required");
    }
    String targetNamespace = from.path("namespace").asText(namespace);
    if (!targetNamespace.equals(namespace)) {
      if (!crossNamespace) {
        throw new TerminalException(
            "spec."
                + refPath
                + " references "
                + reference.kind()
                + " "
                + name
                + " in namespace "
                + targetNamespace
                + ": references into another namespace need the controller's"
                + " --enable-cross-namespace=true (off by default, as in ACK). Reference a resource"
                + " of namespace "
                + namespace
                + ", or ask the platform team to enable it");
      }
      otherNamespaces.add(reference.kind() + " " + targetNamespace + "/" + name);
    }
    String service = reference.service() != null ? reference.service() : descriptor.service();
    String apiVersion = service + ".services.k8s.aws/" + descriptor.version();
    String target = reference.kind() + " " + targetNamespace + "/" + name;
    String key =
        ReferenceWatch.key(service + ".services.k8s.aws", reference.kind(), targetNamespace, name);
    GenericKubernetesResource resource;
    try {
      resource =
          client
              .genericKubernetesResources(apiVersion, reference.kind())
              .inNamespace(targetNamespace)
              .withName(name)
              .get();
    } catch (KubernetesClientException e) {
      throw new NotReady(
          "cannot read the referenced "
              + target
              + " ("
              + e.getCode()
              + "): is the "
              + service
              + " CRD installed, and may jack read it?",
          key);
    }
    if (resource == null) {
      throw new NotReady("waiting for the referenced " + target + ", which does not exist", key);
    }
    if (resource.getMetadata().getDeletionTimestamp() != null) {
      throw new NotReady("the referenced " + target + " is being deleted", key);
    }
    JsonNode json = JSON.valueToTree(resource);
    if (!isSynced(json.path("status").path("conditions"))) {
      throw new NotReady("waiting for the referenced " + target + " to be synced", key);
    }
    JsonNode value = json;
    for (String part : reference.path().split("\\.")) {
      value = value.path(part);
    }
    if (value.isMissingNode() || value.isNull() || value.asText().isEmpty()) {
      throw new NotReady(
          "waiting for the referenced " + target + " to have " + reference.path(), key);
    }
    return reference.format() == null
        ? value.asText()
        : String.format(reference.format(), value.asText());
  }

  /** Whether a resource's conditions (as JSON) say ACK.ResourceSynced=True. */
  static boolean isSynced(JsonNode conditions) {
    for (JsonNode condition : conditions) {
      if (AckCondition.RESOURCE_SYNCED.equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }
}

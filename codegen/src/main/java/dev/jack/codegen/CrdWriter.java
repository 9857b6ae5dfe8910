package dev.jack.codegen;

import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.codegen.KindModel.Field;
import dev.jack.codegen.ServiceConfig.PrinterColumn;
import dev.jack.codegen.ServiceConfig.Reference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Writes a kind's CustomResourceDefinition, shaped as ACK's are. */
public final class CrdWriter {

  static final String VERSION = "v1alpha1";

  private final ModelDocs docs;
  private final ModelConstraints constraints;

  public CrdWriter(ModelDocs docs) {
    this.docs = docs;
    this.constraints = new ModelConstraints(docs);
  }

  /** The CRD as ordered maps, ready to be written as YAML. */
  public Map<String, Object> crd(KindModel kind) {
    Map<String, Object> names = new LinkedHashMap<>();
    names.put("kind", kind.kind());
    names.put("listKind", kind.kind() + "List");
    names.put("plural", kind.plural());
    names.put("singular", kind.kind().toLowerCase(java.util.Locale.ROOT));

    Map<String, Object> version = new LinkedHashMap<>();
    version.put("name", VERSION);
    version.put("additionalPrinterColumns", printerColumns(kind));
    version.put("schema", Map.of("openAPIV3Schema", rootSchema(kind)));
    version.put("served", true);
    version.put("storage", true);
    version.put("subresources", Map.of("status", Map.of()));

    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("group", kind.group());
    spec.put("names", names);
    spec.put("scope", "Namespaced");
    spec.put("versions", List.of(version));

    Map<String, Object> crd = new LinkedHashMap<>();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.put("metadata", Map.of("name", kind.plural() + "." + kind.group()));
    crd.put("spec", spec);
    return crd;
  }

  private static List<Map<String, Object>> printerColumns(KindModel kind) {
    List<Map<String, Object>> columns = new ArrayList<>();
    for (PrinterColumn c : kind.printerColumns()) {
      Map<String, Object> column = new LinkedHashMap<>();
      column.put("jsonPath", c.jsonPath());
      column.put("name", c.name());
      if (c.priority() != null) {
        column.put("priority", c.priority());
      }
      column.put("type", c.type() != null ? c.type() : "string");
      columns.add(column);
    }
    columns.add(
        Map.of(
            "jsonPath", ".status.conditions[?(@.type==\"ACK.ResourceSynced\")].status",
            "name", "Synced",
            "type", "string"));
    columns.add(Map.of("jsonPath", ".metadata.creationTimestamp", "name", "Age", "type", "date"));
    return columns;
  }

  private Map<String, Object> rootSchema(KindModel kind) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("apiVersion", Map.of("type", "string"));
    properties.put("kind", Map.of("type", "string"));
    properties.put("metadata", Map.of("type", "object"));
    properties.put("spec", specSchema(kind));
    properties.put("status", statusSchema(kind));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put(
        "description",
        kind.kind() + " is the Schema for the " + kind.plural() + " API of " + kind.group() + ".");
    root.put("properties", properties);
    root.put("type", "object");
    return root;
  }

  private Map<String, Object> specSchema(KindModel kind) {
    Map<String, Object> properties = new TreeMap<>();
    List<String> required = new ArrayList<>();
    Map<String, Reference> references = kind.config().referencesOrEmpty();
    Set<String> secrets = Set.copyOf(kind.secrets());
    for (Field field : kind.spec()) {
      Map<String, Object> schema = fieldSchema(field, references, secrets);
      constraints.apply(schema, modelShape(field));
      List<Map<String, Object>> rules = new ArrayList<>();
      if (field.config() != null) {
        field
            .config()
            .validationsOrEmpty()
            .forEach(v -> rules.add(Map.of("message", v.message(), "rule", v.rule())));
      }
      if (field.immutable()) {
        rules.add(Map.of("message", "Value is immutable once set", "rule", "self == oldSelf"));
      }
      if (!rules.isEmpty()) {
        schema.put("x-kubernetes-validations", rules);
      }
      properties.put(field.name(), schema);
      addReference(properties, field.name(), field.name(), field.shape(), references);
      if (field.required()) {
        required.add(field.name());
      }
    }
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("properties", properties);
    if (!required.isEmpty()) {
      required.sort(Comparator.naturalOrder());
      spec.put("required", required);
    }
    spec.put("type", "object");
    return spec;
  }

  /**
   * The model's shape of a spec field's value: a member of the create's input, or of another
   * operation's ({@code from: UpdateX.Member}); null for an attribute, a field of ACK's own, or one
   * the CRD holds in another form.
   */
  private String modelShape(Field field) {
    if (field.jsonType() != null || (field.config() != null && field.config().list())) {
      return null;
    }
    if (field.origin() == Origin.CREATE_INPUT) {
      return docs.inputMemberShape(field.operation(), field.awsName());
    }
    if (field.origin() == Origin.OPERATION_INPUT
        && field.config().from().split("\\.").length == 2) {
      return docs.inputMemberShape(field.operation(), field.awsName());
    }
    return null;
  }

  private Map<String, Object> statusSchema(KindModel kind) {
    Map<String, Object> properties = new TreeMap<>();
    properties.put("ackResourceMetadata", resourceMetadataSchema());
    properties.put("conditions", conditionsSchema());
    for (Field field : kind.status()) {
      properties.put(field.name(), fieldSchema(field, Map.of(), Set.of()));
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("properties", properties);
    status.put("type", "object");
    return status;
  }

  private Map<String, Object> fieldSchema(
      Field field, Map<String, Reference> references, Set<String> secrets) {
    Map<String, Object> schema;
    if (field.jsonType() != null) {
      schema = new LinkedHashMap<>();
      schema.put("type", field.jsonType());
    } else {
      schema = shapeSchema(field.shape(), field.name(), references, secrets);
    }
    if (field.description() != null) {
      schema.put("description", field.description());
    }
    return schema;
  }

  /** Adds {@code xxxRef} beside the field at {@code path} when a reference is configured there. */
  private void addReference(
      Map<String, Object> properties,
      String name,
      String path,
      Shape shape,
      Map<String, Reference> references) {
    Reference reference = references.get(path);
    if (reference != null) {
      boolean plural = shape.type() == Shape.ShapeType.LIST;
      properties.put(
          KindModel.referenceFieldName(name, plural), referenceSchema(name, reference, plural));
    }
  }

  Map<String, Object> shapeSchema(Shape shape, String path, Map<String, Reference> references) {
    return shapeSchema(shape, path, references, Set.of());
  }

  /**
   * The schema of a shape at a CRD path; the strings at the paths of {@code secrets} are {@code
   * SecretKeyReference}s.
   */
  Map<String, Object> shapeSchema(
      Shape shape, String path, Map<String, Reference> references, Set<String> secrets) {
    if (secrets.contains(path) && shape.type() == Shape.ShapeType.STRING) {
      return secretKeyReferenceSchema(path.endsWith("[]"));
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    switch (shape.type()) {
      case STRING -> schema.put("type", "string");
      case INTEGER -> {
        schema.put("format", "int64");
        schema.put("type", "integer");
      }
      case NUMBER -> schema.put("type", "number");
      case BOOLEAN -> schema.put("type", "boolean");
      case TIMESTAMP -> {
        schema.put("format", "date-time");
        schema.put("type", "string");
      }
      case BLOB -> {
        schema.put("format", "byte");
        schema.put("type", "string");
      }
      case LIST -> {
        schema.put("items", shapeSchema(shape.element(), path + "[]", references, secrets));
        schema.put("type", "array");
      }
      case MAP -> {
        schema.put(
            "additionalProperties", shapeSchema(shape.value(), path + "{}", references, secrets));
        schema.put("type", "object");
      }
      case STRUCTURE -> {
        Map<String, Object> properties = new TreeMap<>();
        shape
            .members()
            .forEach(
                (awsName, member) -> {
                  String name = Names.memberName(awsName, member);
                  String memberPath = path + "." + name;
                  Map<String, Object> memberSchema =
                      shapeSchema(member, memberPath, references, secrets);
                  String description = docs.member(shape.name(), awsName);
                  if (description != null) {
                    memberSchema.put("description", description);
                  }
                  properties.put(name, memberSchema);
                  addReference(properties, name, memberPath, member, references);
                });
        schema.put("properties", properties);
        schema.put("type", "object");
      }
      case DOCUMENT -> {
        schema.put("type", "object");
        schema.put("x-kubernetes-preserve-unknown-fields", true);
      }
    }
    return schema;
  }

  /**
   * ACK's {@code SecretKeyReference}: a key of a Secret, set as a whole ({@code atomic}); a list's
   * items say what they are, a field's own description says what the value is for.
   */
  static Map<String, Object> secretKeyReferenceSchema(boolean item) {
    Map<String, Object> properties = new TreeMap<>();
    properties.put(
        "key",
        Map.of(
            "description", "The key of the Secret's data that holds the value.", "type", "string"));
    properties.put("name", Map.of("description", "The name of the Secret.", "type", "string"));
    properties.put(
        "namespace",
        Map.of(
            "description",
            "The namespace of the Secret; by default the namespace of this resource.",
            "type",
            "string"));
    Map<String, Object> schema = new LinkedHashMap<>();
    if (item) {
      schema.put(
          "description",
          "A key of a Kubernetes Secret whose value jack sends to AWS; the value is never written"
              + " to the resource.");
    }
    schema.put("properties", properties);
    schema.put("required", List.of("key"));
    schema.put("type", "object");
    schema.put("x-kubernetes-map-type", "atomic");
    return schema;
  }

  private static Map<String, Object> referenceSchema(
      String name, Reference target, boolean plural) {
    Map<String, Object> from = new LinkedHashMap<>();
    from.put(
        "properties",
        new TreeMap<>(
            Map.of("name", Map.of("type", "string"), "namespace", Map.of("type", "string"))));
    from.put("type", "object");
    Map<String, Object> reference = new LinkedHashMap<>();
    reference.put(
        "description",
        "Takes " + name + " from a " + target.resource() + " in this cluster, once it is synced.");
    reference.put("properties", Map.of("from", from));
    reference.put("type", "object");
    if (plural) {
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("items", reference);
      list.put("type", "array");
      return list;
    }
    return reference;
  }

  private static Map<String, Object> resourceMetadataSchema() {
    Map<String, Object> properties = new TreeMap<>();
    properties.put("arn", Map.of("type", "string"));
    properties.put("ownerAccountID", Map.of("type", "string"));
    properties.put("partition", Map.of("type", "string"));
    properties.put("region", Map.of("type", "string"));
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put(
        "description",
        "The AWS identity of the resource: its ARN, and the account and region it lives in.");
    schema.put("properties", properties);
    schema.put("required", List.of("ownerAccountID", "region"));
    schema.put("type", "object");
    return schema;
  }

  private static Map<String, Object> conditionsSchema() {
    Map<String, Object> properties = new TreeMap<>();
    properties.put("lastTransitionTime", Map.of("format", "date-time", "type", "string"));
    properties.put("message", Map.of("type", "string"));
    properties.put(
        "observedGeneration",
        Map.of(
            "description",
            "The generation of the resource this condition was computed for.",
            "format",
            "int64",
            "type",
            "integer"));
    properties.put("reason", Map.of("type", "string"));
    properties.put("status", Map.of("type", "string"));
    properties.put("type", Map.of("type", "string"));
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("properties", properties);
    item.put("required", List.of("status", "type"));
    item.put("type", "object");
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put(
        "description",
        "The state of the resource: ACK.ResourceSynced, Ready, ACK.Terminal, ACK.Recoverable,"
            + " ACK.Advisory, ACK.LateInitialized, ACK.ReferencesResolved, ACK.Adopted.");
    schema.put("items", item);
    schema.put("type", "array");
    return schema;
  }
}

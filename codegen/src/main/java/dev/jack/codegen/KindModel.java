package dev.jack.codegen;

import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.codegen.ServiceConfig.FieldConfig;
import dev.jack.codegen.ServiceConfig.PrinterColumn;
import dev.jack.codegen.ServiceConfig.ResourceConfig;
import java.util.List;

/**
 * One kind as the generator resolved it from its configuration and the AWS model: what the CRD, the
 * Java types and the runtime's descriptor are written from.
 *
 * @param secrets the CRD paths under spec of the values configured {@code secret}: a string, or a
 *     list's elements ({@code passwords[]}), that the CRD types as a {@code SecretKeyReference}
 */
public record KindModel(
    String service,
    String group,
    String kind,
    String plural,
    ResourceConfig config,
    List<Field> spec,
    List<Field> status,
    Field arn,
    List<PrinterColumn> printerColumns,
    List<String> secrets) {

  /** Whether the spec field {@code name} is, or holds, a secret value. */
  public boolean holdsSecret(String name) {
    return secrets.stream().anyMatch(p -> p.split("[.\\[]", 2)[0].equals(name));
  }

  /**
   * One spec or status field.
   *
   * @param name the CRD field name
   * @param awsName the AWS member name (or attribute key)
   * @param shape the value's shape in the AWS model
   * @param jsonType the JSON type that replaces the shape's, or null
   * @param origin where the value comes from
   * @param operation the operation whose input or output carries it
   * @param required the field must be set
   * @param immutable the field cannot change after creation
   * @param description the API documentation of the member, or null
   * @param config the field's configured exceptions, or null
   */
  public record Field(
      String name,
      String awsName,
      Shape shape,
      String jsonType,
      Origin origin,
      String operation,
      boolean required,
      boolean immutable,
      String description,
      FieldConfig config) {

    public Field withDescription(String text) {
      return new Field(
          name, awsName, shape, jsonType, origin, operation, required, immutable, text, config);
    }
  }

  /**
   * The name of the reference field beside a field: {@code kmsMasterKeyID} has {@code
   * kmsMasterKeyRef}, {@code subnetIDs} has {@code subnetRefs}, a list {@code policies} has {@code
   * policyRefs}.
   */
  public static String referenceFieldName(String name, boolean plural) {
    for (String suffix : List.of("IDs", "ARNs", "Names", "ID", "ARN", "Name")) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return name.substring(0, name.length() - suffix.length()) + (plural ? "Refs" : "Ref");
      }
    }
    if (plural && name.endsWith("ies")) {
      return name.substring(0, name.length() - 3) + "yRefs";
    }
    if (plural && name.endsWith("s")) {
      return name.substring(0, name.length() - 1) + "Refs";
    }
    return name + (plural ? "Refs" : "Ref");
  }
}

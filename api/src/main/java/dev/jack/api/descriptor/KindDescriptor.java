package dev.jack.api.descriptor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What the runtime needs to know about one kind to call AWS for it, as the generator derived it
 * from the AWS model: its operations, and how each CRD field maps to an AWS member. The generator
 * writes one as JSON beside each kind's class ({@code Queue.descriptor.json}).
 *
 * @param service the service's short name ({@code sqs})
 * @param group the API group
 * @param version the API version
 * @param kind the kind
 * @param plural the CRD plural
 * @param sdkPackage the AWS SDK for Java v2 package of the service
 * @param operations the operations that create, read, update and delete the resource
 * @param outputWrapper the member of the create and read outputs that wraps the resource, or null
 * @param attributes the input member holding the attributes map, or null
 * @param arn the field whose value is the resource's ARN, or null
 * @param spec the spec fields
 * @param status the kind's own status fields
 * @param references fields that take their value from another kind, by CRD path
 * @param tags how the kind carries the user's tags, or null when it has none
 * @param lateInitialize spec fields that take AWS's default when unset
 * @param terminalCodes AWS error codes that no retry can fix, beyond the runtime's defaults
 * @param shapes for each structure shape, its CRD field names by AWS member name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KindDescriptor(
    String service,
    String group,
    String version,
    String kind,
    String plural,
    String sdkPackage,
    Operations operations,
    String outputWrapper,
    String attributes,
    FieldDescriptor arn,
    List<FieldDescriptor> spec,
    List<FieldDescriptor> status,
    Map<String, ReferenceDescriptor> references,
    TagsDescriptor tags,
    List<String> lateInitialize,
    List<String> terminalCodes,
    Map<String, Map<String, String>> shapes) {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads the descriptor the generator wrote for {@code kindClass}. */
  public static KindDescriptor of(Class<?> kindClass) {
    String resource = kindClass.getSimpleName() + ".descriptor.json";
    try (InputStream in = kindClass.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no " + resource + " beside " + kindClass.getName() + ": run make generate");
      }
      return JSON.readValue(in, KindDescriptor.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The operations of a kind; those a kind lacks are null. */
  public record Operations(String create, String read, String update, String delete) {}

  /**
   * One top-level field.
   *
   * @param name the CRD field name
   * @param awsName the AWS member name, or the attribute key
   * @param origin where its value travels to and from AWS
   * @param operation the operation whose input or output carries it
   * @param shape the name of its structure shape (of its elements, for lists and maps), or null
   * @param required the field must be set
   * @param immutable the field cannot change after creation
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record FieldDescriptor(
      String name,
      String awsName,
      Origin origin,
      String operation,
      String shape,
      boolean required,
      boolean immutable) {}

  /** Where a field's value travels to and from AWS. */
  public enum Origin {
    /** A member of the create input, read back from the read output. */
    CREATE_INPUT,
    /** A member of another operation's input (S3's per-configuration calls). */
    OPERATION_INPUT,
    /** A member of an operation's output. */
    OUTPUT,
    /** A key of the attributes map. */
    ATTRIBUTE,
    /** A model structure that only hooks map to and from AWS. */
    CUSTOM
  }

  /**
   * Where and how a kind keeps its tags.
   *
   * @param path the CRD path of the tags ({@code tags}, {@code tagging.tagSet})
   * @param format a map of key to value, or a list of key/value structures
   * @param keyMember for a list, the AWS member holding a tag's key ({@code Key})
   * @param valueMember for a list, the AWS member holding a tag's value ({@code Value})
   */
  public record TagsDescriptor(
      String path, TagFormat format, String keyMember, String valueMember) {}

  /** The two ways AWS models tags. */
  public enum TagFormat {
    MAP,
    KEY_VALUE_LIST
  }

  /** The kind a reference field points at; {@code service} is null within the same service. */
  public record ReferenceDescriptor(String service, String kind) {}
}

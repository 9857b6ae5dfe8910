package dev.jack.codegen;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One service's generator configuration ({@code services/<service>/generator.yaml}): which AWS
 * operations make up each kind and the exceptions to the rules that derive its fields from them.
 * The configuration reference is {@code docs/adding-a-service.md}.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ServiceConfig(
    String service, String sdkPackage, String apiModel, Map<String, ResourceConfig> resources) {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static ServiceConfig read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses a configuration; {@code source} names it in error messages. */
  public static ServiceConfig parse(String source, String yaml) {
    ServiceConfig config;
    try {
      config = YAML.readValue(yaml, ServiceConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "invalid generator configuration " + source + ": " + e.getMessage(), e);
    }
    if (config.service() == null || config.resources() == null) {
      throw new IllegalArgumentException(source + ": 'service' and 'resources' are required");
    }
    return config;
  }

  public String group() {
    return service + ".services.k8s.aws";
  }

  /** The service's name in the AWS API models (botocore's folder name). */
  public String effectiveApiModel() {
    return apiModel != null ? apiModel : service;
  }

  public String effectiveSdkPackage() {
    return sdkPackage != null ? sdkPackage : "software.amazon.awssdk.services." + service;
  }

  /**
   * One kind.
   *
   * @param plural the CRD plural; by default the kind in lower case with an "s"
   * @param operations the AWS operations that create, read, update and delete it
   * @param outputWrapper the member of the create and read outputs that holds the resource, when
   *     the output wraps it (DynamoDB's {@code TableDescription})
   * @param attributes the input member holding an attributes map whose keys become fields
   * @param ignore input members that are not spec fields
   * @param ignoreStatus output members that are not status fields
   * @param fields the exceptions, by AWS member name (or by CRD name for fields from other
   *     operations)
   * @param references fields whose value can come from another kind's identifier, by CRD path
   *     ({@code kmsMasterKeyID}, {@code replication.role}): each gets a {@code xxxRef} beside it
   * @param tags the CRD path of the user's tags ({@code tags}, S3's {@code tagging.tagSet}), when
   *     the kind is taggable
   * @param lateInitialize spec fields AWS defaults when they are not set: once the resource exists,
   *     the runtime copies AWS's value into the spec
   * @param terminalCodes AWS error codes that no retry can fix, beyond the runtime's defaults
   * @param printerColumns extra {@code kubectl get} columns, before Synced and Age
   */
  public record ResourceConfig(
      String plural,
      Operations operations,
      String outputWrapper,
      String attributes,
      List<String> ignore,
      List<String> ignoreStatus,
      Map<String, FieldConfig> fields,
      Map<String, Reference> references,
      String tags,
      List<String> lateInitialize,
      List<String> terminalCodes,
      List<PrinterColumn> printerColumns) {

    public List<String> lateInitializeOrEmpty() {
      return lateInitialize != null ? lateInitialize : List.of();
    }

    public List<String> terminalCodesOrEmpty() {
      return terminalCodes != null ? terminalCodes : List.of();
    }

    public Map<String, Reference> referencesOrEmpty() {
      return references != null ? references : Map.of();
    }

    public List<String> ignoreOrEmpty() {
      return ignore != null ? ignore : List.of();
    }

    public List<String> ignoreStatusOrEmpty() {
      return ignoreStatus != null ? ignoreStatus : List.of();
    }

    public Map<String, FieldConfig> fieldsOrEmpty() {
      return fields != null ? fields : Map.of();
    }

    public List<PrinterColumn> printerColumnsOrEmpty() {
      return printerColumns != null ? printerColumns : List.of();
    }
  }

  public record Operations(String create, String read, String update, String delete) {}

  /**
   * The exceptions for one field.
   *
   * @param rename the CRD field name, when ACK's differs from the derived one
   * @param required the field must be set
   * @param immutable the field cannot change after creation (enforced by a CEL rule)
   * @param attribute the field is a key of the attributes map, a string
   * @param status the field is observed, not desired: it goes to status
   * @param arn the field is the resource's ARN, the source of {@code
   *     status.ackResourceMetadata.arn}; not a status field of its own unless {@code status} too
   * @param from for a field no create input carries: {@code Operation.Member}, the input member of
   *     another operation (S3's {@code PutBucketVersioning.VersioningConfiguration}); with {@code
   *     status}, an output member; further {@code .Member}s walk into nested structures
   * @param shape for a field that no operation's top level carries: the model structure it holds
   *     (DynamoDB's replicas, {@code CreateReplicationGroupMemberAction})
   * @param list the field holds a list of what {@code from} names (S3's analytics configurations,
   *     each put by its own call)
   * @param type a JSON type that replaces the model's (ACK's strings for numeric attributes)
   */
  public record FieldConfig(
      String rename,
      boolean required,
      boolean immutable,
      boolean attribute,
      boolean status,
      boolean arn,
      String from,
      String shape,
      boolean list,
      String type) {}

  /** A referenced kind, in this service unless {@code service} says otherwise. */
  public record Reference(String service, String resource) {}

  public record PrinterColumn(String name, String jsonPath, String type, Integer priority) {}
}

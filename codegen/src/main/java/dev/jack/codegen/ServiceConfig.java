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
    String service,
    String sdkPackage,
    String apiModel,
    Tagging tagging,
    List<String> notFound,
    Map<String, ResourceConfig> resources) {

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

  /** The not-found codes of every kind of the service, then the kind's own. */
  public List<String> notFound(ResourceConfig kind) {
    List<String> codes = new java.util.ArrayList<>(notFound == null ? List.of() : notFound);
    codes.addAll(kind.notFoundOrEmpty());
    return List.copyOf(codes);
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
   * @param outputWrapper the member of the create output that holds the resource, when the output
   *     wraps it (DynamoDB's {@code TableDescription}); also the read output's, unless {@code
   *     readWrapper} says otherwise
   * @param readWrapper the member of the read output that holds the resource ({@code Table}); when
   *     it is a list, its first element ({@code repositories}), or the one {@code readMatch} picks
   * @param readMatch when the read returns a list, the members of an element that must equal the
   *     resource's own values of the same members ({@code AliasName})
   * @param attributes the input member holding an attributes map whose keys become fields
   * @param ignore input members that are not spec fields
   * @param ignoreStatus output members that are not status fields
   * @param fields the exceptions, by AWS member name (or by CRD name for fields from other
   *     operations); a dotted path of AWS member names ({@code Users.Password}) names a member
   *     nested in a create input member's structures, through lists, and may only say {@code
   *     secret}
   * @param references fields whose value can come from another kind's identifier, by CRD path
   *     ({@code kmsMasterKeyID}, {@code replication.role}): each gets a {@code xxxRef} beside it
   * @param tags the CRD path of the user's tags ({@code tags}, S3's {@code tagging.tagSet}), when
   *     the kind is taggable
   * @param tagging the operations that tag, untag and list the tags of this kind, when they differ
   *     from the service's
   * @param tagResourceType where the service's tagging has {@code create}: the kind's {@code
   *     ResourceType} in the tag specifications ({@code vpc})
   * @param inputs input members of operations that no field fills by name: by operation, then by
   *     member, a path ({@code spec.name}, {@code status.queueURL}, {@code arn}) or a fixed value
   * @param notFound AWS error codes that mean the resource does not exist, beyond the runtime's
   *     defaults (codes containing {@code NotFound}, {@code NoSuch} or {@code NonExistent})
   * @param ready when AWS calls the resource ready
   * @param arnTemplate how to build the ARN when AWS returns none: {@code {region}}, {@code
   *     {account}} and {@code {spec.x}} or {@code {status.y}} are replaced
   * @param find how to find an existing resource before the first create, when the read needs an
   *     identifier AWS assigns and AWS's create would return an existing resource of the same name
   *     (SQS's {@code CreateQueue}): an operation that gives the identifier, or a template
   * @param lateInitialize spec fields AWS defaults when they are not set: once the resource exists,
   *     the runtime copies AWS's value into the spec
   * @param terminalCodes AWS error codes that no retry can fix, beyond the runtime's defaults
   * @param printerColumns extra {@code kubectl get} columns, before Synced and Age
   * @param manager a hand-written {@code ResourceManager} class of the service's package that
   *     replaces the generic one, or null
   * @param hooks a {@code ResourceHooks} class of the service's package with the kind's exceptions
   *     to the generic manager, or null
   */
  public record ResourceConfig(
      String plural,
      Operations operations,
      String outputWrapper,
      String readWrapper,
      List<String> readMatch,
      String attributes,
      List<String> ignore,
      List<String> ignoreStatus,
      Map<String, FieldConfig> fields,
      Map<String, Reference> references,
      String tags,
      Tagging tagging,
      String tagResourceType,
      Map<String, Map<String, Object>> inputs,
      List<String> notFound,
      Ready ready,
      String arnTemplate,
      Find find,
      List<String> lateInitialize,
      List<String> terminalCodes,
      List<PrinterColumn> printerColumns,
      String manager,
      String hooks) {

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

    public Map<String, Map<String, Object>> inputsOrEmpty() {
      return inputs != null ? inputs : Map.of();
    }

    public List<String> notFoundOrEmpty() {
      return notFound != null ? notFound : List.of();
    }

    public String effectiveReadWrapper() {
      return readWrapper != null ? readWrapper : outputWrapper;
    }

    public List<PrinterColumn> printerColumnsOrEmpty() {
      return printerColumns != null ? printerColumns : List.of();
    }
  }

  public record Operations(String create, String read, String update, String delete) {}

  /**
   * How to find an existing resource before the first create: either {@code operation} and {@code
   * output}, an operation whose output member holds the identifier ({@code GetQueueUrl}, {@code
   * QueueUrl}; its input members are filled like any operation's, and {@code inputs} can name
   * them), or {@code template}, the identifier built with the placeholders of {@code arn-template}
   * from what is known before the create ({@code {region}}, {@code {account}}, {@code {spec.x}}).
   *
   * @param into where the identifier goes: a status field ({@code status.queueURL}) or {@code arn}
   * @param items for a create AWS does not make idempotent: the list member of the operation's
   *     output whose element, tagged with the resource's UID ({@code jack.dev/uid}, which jack then
   *     adds at the create), is the resource; {@code output} is then a member of that element. Used
   *     only to find a create whose answer was lost.
   */
  public record Find(String operation, String output, String template, String into, String items) {}

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
   * @param read with {@code from}: {@code Operation[.Member]}, the operation that reads the field
   *     back, and the output member that holds it (without one, the output's members are the
   *     field's own)
   * @param remove with {@code from}: the operation that removes the field's configuration from AWS
   *     when the spec no longer sets it
   * @param readPath where the read output holds a create input member when it is not at its own
   *     name: {@code BillingModeSummary.BillingMode}
   * @param readByHook the kind's hooks read the field back from AWS (in another form, or from
   *     another operation)
   * @param updateByHook the kind's hooks change the field in AWS (S3's list configurations, one
   *     call per item)
   * @param unordered a list whose order means nothing: AWS may return it in another order
   * @param update {@code Operation[.Member]}: a dedicated operation that changes this create input
   *     member once the resource exists (ECR's {@code PutImageTagMutability}); the member defaults
   *     to the field's own AWS name
   * @param secret the value is a secret (a password, a token): the CRD takes a {@code
   *     SecretKeyReference} to a Kubernetes Secret's key instead (a list of them for a list of
   *     strings), and jack sends the Secret's value; AWS never returns it
   * @param validations rules the value must keep that the AWS model states only in its prose (S3's
   *     bucket names, SQS's attribute ranges): CEL rules on the field, each with the message the
   *     API server gives when it is broken
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
      String type,
      String read,
      String remove,
      String readPath,
      String update,
      boolean readByHook,
      boolean updateByHook,
      boolean unordered,
      boolean secret,
      List<Validation> validations) {

    public List<Validation> validationsOrEmpty() {
      return validations == null ? List.of() : validations;
    }
  }

  /** A CEL rule on a field ({@code self} is its value) and what it says when it is broken. */
  public record Validation(String rule, String message) {}

  /**
   * A referenced kind, in this service unless {@code service} says otherwise, and the path of the
   * value taken from it ({@code status.apiID}); by default its ARN, ID or name as the field's name
   * ends; {@code format} ({@code integrations/%s}) puts it into the text AWS wants.
   */
  public record Reference(String service, String resource, String path, String format) {}

  /**
   * The operations that tag, untag and list tags: {@code Operation.Member}, the member holding the
   * tags, the keys, or (for {@code list}) the output member holding the tags.
   *
   * @param replace {@code tag} replaces the whole tag set (S3's {@code PutBucketTagging})
   * @param create the create input member that takes tag specifications, for kinds whose tags field
   *     is no create input member (EC2's {@code TagSpecifications}): jack's and the user's tags go
   *     with the create, each kind naming its {@code tag-resource-type}
   * @param filters the service's listings filter by tag (EC2's {@code Filters}, {@code Name:
   *     tag:<key>}): a find with {@code items} asks AWS for the element with jack's tag alone
   */
  public record Tagging(
      String tag, String untag, String list, boolean replace, String create, boolean filters) {}

  /**
   * When AWS calls a resource ready: the path of its state and the values that mean ready, those
   * that mean it never will be, and those that mean AWS deleted it but still shows it.
   */
  public record Ready(String path, List<String> values, List<String> failed, List<String> gone) {}

  public record PrinterColumn(String name, String jsonPath, String type, Integer priority) {}
}

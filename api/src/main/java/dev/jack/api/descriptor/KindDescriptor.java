package dev.jack.api.descriptor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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
 * @param createWrapper the member of the create output that holds the resource, or null
 * @param readWrapper the member of the read output that holds the resource (the first element, when
 *     it is a list, the element that {@code readMatch} picks), or null
 * @param readMatch when the read returns a list: the members of an element that must equal the
 *     resource's own values (KMS {@code ListAliases}: {@code AliasName}); empty takes the first
 * @param attributes the input member holding the attributes map, or null
 * @param attributeUpdate how the update operation takes changed attributes, or null
 * @param arn the field whose value is the resource's ARN, or null
 * @param arnTemplate how to build the ARN when AWS returns none ({@code
 *     arn:aws:apigateway:{region}::/apis/{status.apiID}}), or null
 * @param spec the spec fields
 * @param status the kind's own status fields
 * @param inputs for each operation the kind calls, where its input members come from
 * @param find how to find an existing resource before the first create, for a kind whose read needs
 *     an identifier AWS assigns ({@code status.queueURL}) and whose create AWS makes idempotent by
 *     name (it would return the existing resource): an operation that gives the identifier, or a
 *     template that builds it; null for other kinds
 * @param notFoundCodes AWS error codes that mean the resource, or one of its configurations, does
 *     not exist, beyond the runtime's defaults
 * @param ready when AWS calls the resource ready, or null when it is ready once it exists
 * @param references fields that take their value from another kind, by CRD path
 * @param tags how the kind carries the user's tags, or null when it has none
 * @param lateInitialize spec fields that take AWS's default when unset
 * @param terminalCodes AWS error codes that no retry can fix, beyond the runtime's defaults
 * @param shapes for each structure shape, its CRD field names by AWS member name
 * @param secrets the spec paths whose value is a {@code SecretKeyReference}, the value jack sends
 *     being the Secret's ({@code masterUserPassword}, {@code users[].password}, {@code passwords[]}
 *     for a list of them); each leads into a spec field marked {@link FieldDescriptor#secret}
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
    String createWrapper,
    String readWrapper,
    List<String> readMatch,
    String attributes,
    AttributeUpdate attributeUpdate,
    FieldDescriptor arn,
    String arnTemplate,
    List<FieldDescriptor> spec,
    List<FieldDescriptor> status,
    Map<String, Map<String, Input>> inputs,
    Find find,
    List<String> notFoundCodes,
    Readiness ready,
    Map<String, ReferenceDescriptor> references,
    TagsDescriptor tags,
    List<String> lateInitialize,
    List<String> terminalCodes,
    Map<String, Map<String, String>> shapes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> secrets) {

  public KindDescriptor {
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
  }

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

  /**
   * Whether the create call carries the tags: the tags field is a create input member, or the
   * create takes tag specifications ({@link TagsDescriptor#create}).
   */
  public boolean createTakesTags() {
    if (tags == null) {
      return false;
    }
    if (tags.create() != null) {
      return true;
    }
    return !tags.path().contains(".")
        && spec.stream()
            .anyMatch(f -> f.name().equals(tags.path()) && f.origin() == Origin.CREATE_INPUT);
  }

  /**
   * Whether a read finds the resource with what its spec holds, needing no identifier AWS assigned
   * at the create: the read takes none (a bucket, a table), or the kind's find gets it by name (SQS
   * {@code GetQueueUrl}, an SNS topic's ARN template). A find by tag does not count: a listing can
   * lag behind the create.
   */
  public boolean foundByName() {
    if (find != null) {
      return find.items() == null;
    }
    if (operations.read() == null) {
      return false;
    }
    return inputs.getOrDefault(operations.read(), Map.of()).values().stream()
        .noneMatch(
            input ->
                input.from() != null
                    ? input.from().startsWith("status.") || input.from().startsWith("arn")
                    : input.value() != null
                        && (input.value().toString().contains("${status.")
                            || input.value().toString().contains("${arn")));
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
   * @param update the operation that changes it once the resource exists ({@code Operation}, or
   *     {@code Operation.Member} when its member there has another name), {@code hook} when the
   *     kind's hooks change it; null when nothing can
   * @param readPath where the read output (inside its wrapper) holds it, when not at {@code
   *     awsName}: {@code BillingModeSummary.BillingMode}
   * @param read for a field of its own operation: the operation that reads it back, and the output
   *     member that holds it ({@code GetLifecyclePolicy.lifecyclePolicyText}); without a member,
   *     the output's members are the field's own
   * @param remove for a field of its own operation: the operation that removes it from AWS when the
   *     spec no longer sets it, or null
   * @param unobserved AWS never returns the field (a create-only setting, a secret): it is compared
   *     with what jack applied last, not with AWS
   * @param unordered the field is a list whose order means nothing, compared as a set
   * @param each the field is a set of items that its operation adds one call per item (IAM's
   *     AttachRolePolicy), {@link #remove} removes one per item, and {@link #read} lists; jack adds
   *     what the spec lists and removes only the items it added
   * @param secret the field is, or holds, a reference to a Secret's key ({@link #secrets} says
   *     where): AWS gets the Secret's value, and never returns it, so the field is also {@link
   *     #unobserved}
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record FieldDescriptor(
      String name,
      String awsName,
      Origin origin,
      String operation,
      String shape,
      boolean required,
      boolean immutable,
      String update,
      String readPath,
      String read,
      String remove,
      boolean unobserved,
      boolean unordered,
      boolean each,
      boolean secret) {

    /** The operation of {@link #read}, or null. */
    public String readOperation() {
      return read == null ? null : read.split("\\.", 2)[0];
    }

    /** The output member of {@link #read}, or null when the output's members are the field's. */
    public String readMember() {
      if (read == null) {
        return null;
      }
      String[] parts = read.split("\\.", 2);
      return parts.length > 1 ? parts[1] : null;
    }
  }

  /** How an update operation takes the attributes that changed. */
  public enum AttributeUpdate {
    /** All of them in one call, as one map (SQS {@code SetQueueAttributes}). */
    MAP,
    /**
     * One call per attribute, with {@code AttributeName} and {@code AttributeValue} (SNS {@code
     * SetTopicAttributes}).
     */
    SINGLE
  }

  /**
   * Where one input member of an operation comes from: a path of the resource ({@code spec.name},
   * {@code status.apiID}, {@code arn}, {@code region}), or a fixed value.
   *
   * @param from the path, or null for a fixed value
   * @param list the member is a list that holds the one value at {@code from} ({@code
   *     repositoryNames})
   * @param value the fixed value, or null
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record Input(String from, boolean list, JsonNode value) {}

  /**
   * How the runtime finds an existing resource before its first create, when the read needs an
   * identifier AWS assigns: either an operation whose output holds the identifier ({@code
   * GetQueueUrl} gives {@code QueueUrl}), its input members taken from {@code inputs} like any
   * operation's, or a template that builds it (the ARN of an SNS topic from its name), with the
   * placeholders of {@code arnTemplate}. The identifier goes to {@code into}, then the read runs; a
   * not-found answer of either means there is nothing to find.
   *
   * @param operation the operation that gives the identifier, or null with a template
   * @param output the member of its output that holds the identifier (a path through structures,
   *     {@code A.B}), or null with a template
   * @param template the identifier's template ({@code arn:aws:sns:{region}:{account}:{spec.name}}),
   *     or null with an operation
   * @param into where the identifier goes: a status field ({@code status.queueURL}) or {@code arn};
   *     when the kind's ARN field is also a status field, both are set
   * @param items for a kind whose create AWS does not make idempotent (each {@code CreateApi} makes
   *     another API): the list member of the operation's output (a listing, read page by page),
   *     whose element tagged with the resource's {@link #UID_TAG} is the resource, and {@code
   *     output} is the member of that element; such a find runs only after a create whose answer
   *     never arrived (a crash, a lost connection), which it finds instead of making a second one.
   *     Null for the other finds.
   * @param inputs with {@code items}, the operation's input members for the find when they differ
   *     from the operation's own {@code inputs} (an EC2 describe filtered by the {@link #UID_TAG},
   *     where the read it also serves takes the ID AWS assigned); null to take those
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Find(
      String operation,
      String output,
      String template,
      String into,
      String items,
      Map<String, Input> inputs) {

    /**
     * The tag jack puts on what it creates of a kind with a listing find: the Kubernetes resource's
     * UID.
     */
    public static final String UID_TAG = "jack.dev/uid";
  }

  /**
   * When AWS calls a resource ready.
   *
   * @param path the path of the resource that holds its state ({@code status.tableStatus})
   * @param values the states that mean ready ({@code ACTIVE})
   * @param failed the states that mean it can never become ready ({@code CREATE_FAILED}), if any
   * @param gone the states of a resource that AWS still shows but has deleted (a KMS key {@code
   *     PendingDeletion}, an EC2 instance {@code terminated}): to jack it no longer exists
   */
  public record Readiness(
      String path, List<String> values, List<String> failed, List<String> gone) {
    public Readiness {
      values = values == null ? List.of() : List.copyOf(values);
      failed = failed == null ? List.of() : List.copyOf(failed);
      gone = gone == null ? List.of() : List.copyOf(gone);
    }
  }

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
   * @param tag the operation that adds or changes tags, and its member that holds them ({@code
   *     TagResource.Tags}, or a path into a structure: {@code PutBucketTagging.Tagging.TagSet}), or
   *     null when the create input alone carries tags
   * @param untag the operation that removes tags, and its member that holds their keys ({@code
   *     UntagResource.TagKeys}), or null
   * @param list the operation that reads the tags, and its output member that holds them ({@code
   *     ListTagsForResource.Tags}), or null when the read output carries them
   * @param replace {@code tag} replaces the whole tag set (S3 {@code PutBucketTagging})
   * @param create the create input member that takes tag specifications when the tags field is not
   *     a create input member itself (EC2's {@code TagSpecifications}: a list of {@code
   *     ResourceType} and {@code Tags}), or null
   * @param resourceType with {@code create}, the kind's {@code ResourceType} there ({@code vpc})
   */
  public record TagsDescriptor(
      String path,
      TagFormat format,
      String keyMember,
      String valueMember,
      String tag,
      String untag,
      String list,
      boolean replace,
      @JsonInclude(JsonInclude.Include.NON_NULL) String create,
      @JsonInclude(JsonInclude.Include.NON_NULL) String resourceType) {}

  /** The two ways AWS models tags. */
  public enum TagFormat {
    MAP,
    KEY_VALUE_LIST
  }

  /**
   * The kind a reference field points at.
   *
   * @param service the kind's service; null within the same service
   * @param kind the kind
   * @param path the value taken from the referenced resource ({@code
   *     status.ackResourceMetadata.arn}, {@code status.apiID}, {@code spec.name})
   * @param field the name of the reference field beside the value's ({@code kmsMasterKeyRef})
   * @param list the field holds a list, and its reference field a list of references
   * @param format how the value goes into the field ({@code integrations/%s}), or null as it is
   */
  public record ReferenceDescriptor(
      String service, String kind, String path, String field, boolean list, String format) {}
}

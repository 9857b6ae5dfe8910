package dev.jack.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.runtime.AwsContext;
import dev.jack.runtime.AwsErrors;
import dev.jack.runtime.Delta;
import dev.jack.runtime.OpType;
import dev.jack.runtime.ResourceManager;
import dev.jack.runtime.ResourceState;
import dev.jack.runtime.Tags;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 side of a Bucket. A bucket is its name; each of its configurations (versioning,
 * encryption, tags, ...) is read and written by calls of its own, so jack reads only the
 * configurations the spec sets, and writes only those that differ.
 */
final class BucketManager implements ResourceManager {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * How each configuration is read back.
   *
   * @param get the operation that reads it
   * @param wrapper the member of the get output that holds it; null when the output's members are
   *     the configuration's own
   * @param absent error codes that mean the bucket has no such configuration
   */
  private record Reader(String get, String wrapper, Set<String> absent) {}

  private static final Map<String, Reader> READERS =
      Map.ofEntries(
          Map.entry("abac", new Reader("GetBucketAbac", "AbacStatus", Set.of())),
          Map.entry("accelerate", new Reader("GetBucketAccelerateConfiguration", null, Set.of())),
          Map.entry("cors", new Reader("GetBucketCors", null, Set.of("NoSuchCORSConfiguration"))),
          Map.entry(
              "encryption",
              new Reader(
                  "GetBucketEncryption",
                  "ServerSideEncryptionConfiguration",
                  Set.of("ServerSideEncryptionConfigurationNotFoundError"))),
          Map.entry(
              "lifecycle",
              new Reader(
                  "GetBucketLifecycleConfiguration", null, Set.of("NoSuchLifecycleConfiguration"))),
          Map.entry("logging", new Reader("GetBucketLogging", null, Set.of())),
          Map.entry(
              "notification", new Reader("GetBucketNotificationConfiguration", null, Set.of())),
          Map.entry(
              "objectLockConfiguration",
              new Reader(
                  "GetObjectLockConfiguration",
                  "ObjectLockConfiguration",
                  Set.of("ObjectLockConfigurationNotFoundError"))),
          Map.entry(
              "ownershipControls",
              new Reader(
                  "GetBucketOwnershipControls",
                  "OwnershipControls",
                  Set.of("OwnershipControlsNotFoundError"))),
          Map.entry(
              "policy", new Reader("GetBucketPolicy", "Policy", Set.of("NoSuchBucketPolicy"))),
          Map.entry(
              "publicAccessBlock",
              new Reader(
                  "GetPublicAccessBlock",
                  "PublicAccessBlockConfiguration",
                  Set.of("NoSuchPublicAccessBlockConfiguration"))),
          Map.entry(
              "replication",
              new Reader(
                  "GetBucketReplication",
                  "ReplicationConfiguration",
                  Set.of("ReplicationConfigurationNotFoundError"))),
          Map.entry("requestPayment", new Reader("GetBucketRequestPayment", null, Set.of())),
          Map.entry("tagging", new Reader("GetBucketTagging", null, Set.of("NoSuchTagSet"))),
          Map.entry("versioning", new Reader("GetBucketVersioning", null, Set.of())),
          Map.entry(
              "website",
              new Reader("GetBucketWebsite", null, Set.of("NoSuchWebsiteConfiguration"))));

  /**
   * Configurations that are lists of items put one at a time by id, and the operation that lists
   * them with the output member that holds the list.
   */
  private record Lister(String list, String member) {}

  private static final Map<String, Lister> LISTERS =
      Map.of(
          "analytics",
              new Lister("ListBucketAnalyticsConfigurations", "AnalyticsConfigurationList"),
          "intelligentTiering",
              new Lister(
                  "ListBucketIntelligentTieringConfigurations",
                  "IntelligentTieringConfigurationList"),
          "inventory",
              new Lister("ListBucketInventoryConfigurations", "InventoryConfigurationList"),
          "metrics", new Lister("ListBucketMetricsConfigurations", "MetricsConfigurationList"));

  @Override
  public Optional<ResourceState> readOne(ResourceState desired, AwsContext aws) {
    String name = desired.specText("name");
    try {
      aws.api().call(OpType.READ_ONE, HeadBucketRequest.builder().bucket(name).build());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    ResourceState latest = ResourceState.empty();
    latest.setArn(arn(name));
    latest.status().setAll(desired.status());
    for (FieldDescriptor field : aws.descriptor().spec()) {
      JsonNode wanted = desired.spec().get(field.name());
      if (wanted == null || wanted.isNull()) {
        continue;
      }
      if (field.origin() == Origin.CREATE_INPUT) {
        // Settings of the create call: AWS does not return them; they cannot change.
        latest.spec().set(field.name(), wanted);
      } else if (READERS.containsKey(field.name())) {
        JsonNode observed = readConfiguration(name, field, READERS.get(field.name()), aws);
        if (observed != null) {
          latest.spec().set(field.name(), observed);
        }
      } else if (LISTERS.containsKey(field.name())) {
        latest.spec().set(field.name(), readList(name, LISTERS.get(field.name()), aws));
      }
    }
    return Optional.of(latest);
  }

  private JsonNode readConfiguration(
      String bucket, FieldDescriptor field, Reader reader, AwsContext aws) {
    SdkPojo response;
    try {
      response = aws.api().call(OpType.READ_ONE, request(aws, reader.get(), bucket, Map.of()));
    } catch (S3Exception e) {
      if (AwsErrors.hasCode(e, reader.absent())) {
        return null;
      }
      throw e;
    }
    Map<String, JsonNode> members = aws.mapper().read(response);
    if (reader.wrapper() != null) {
      return members.get(reader.wrapper());
    }
    Map<String, String> names = aws.descriptor().shapes().getOrDefault(field.shape(), Map.of());
    ObjectNode configuration = JSON.objectNode();
    members.forEach(
        (member, value) -> {
          if (names.containsKey(member)) {
            configuration.set(names.get(member), value);
          }
        });
    return configuration;
  }

  private JsonNode readList(String bucket, Lister lister, AwsContext aws) {
    SdkPojo response =
        aws.api().call(OpType.READ_ONE, request(aws, lister.list(), bucket, Map.of()));
    JsonNode list = aws.mapper().read(response).get(lister.member());
    return list == null ? JSON.arrayNode() : list;
  }

  @Override
  public ResourceState create(ResourceState desired, AwsContext aws) {
    String name = desired.specText("name");
    Map<String, JsonNode> members = new LinkedHashMap<>();
    for (FieldDescriptor field : aws.descriptor().spec()) {
      JsonNode value = desired.spec().get(field.name());
      if (field.origin() == Origin.CREATE_INPUT && value != null && !value.isNull()) {
        members.put(field.awsName(), value);
      }
    }
    if (!aws.region().equals("us-east-1") && !members.containsKey("CreateBucketConfiguration")) {
      members.put(
          "CreateBucketConfiguration", JSON.objectNode().put("locationConstraint", aws.region()));
    }
    CreateBucketResponse created =
        aws.api()
            .call(
                OpType.CREATE,
                aws.mapper().request(aws.descriptor().sdkPackage(), "CreateBucket", members));
    ResourceState state = ResourceState.empty();
    state.setArn(arn(name));
    if (created.location() != null) {
      state.status().put("location", created.location());
    }
    for (FieldDescriptor field : aws.descriptor().spec()) {
      if (field.origin() == Origin.OPERATION_INPUT
          && (desired.spec().hasNonNull(field.name()) || field.name().equals("tagging"))) {
        put(name, field, desired, aws, OpType.CREATE);
      }
    }
    return state;
  }

  @Override
  public ResourceState update(
      ResourceState desired, ResourceState latest, Delta delta, AwsContext aws) {
    String name = desired.specText("name");
    ResourceState updated = latest.copy();
    for (FieldDescriptor field : aws.descriptor().spec()) {
      if (field.origin() == Origin.OPERATION_INPUT && delta.contains(field.name())) {
        put(name, field, desired, aws, OpType.UPDATE);
        updated.spec().set(field.name(), desired.spec().get(field.name()));
      }
    }
    return updated;
  }

  /** Writes one configuration with its own put call (one call per item for lists). */
  private void put(
      String bucket, FieldDescriptor field, ResourceState desired, AwsContext aws, OpType type) {
    JsonNode value = desired.spec().get(field.name());
    if (field.name().equals("tagging")) {
      value = tagging(value, aws.defaultTags());
    }
    if (LISTERS.containsKey(field.name())) {
      for (JsonNode item : value) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        members.put("Id", item.get("id"));
        members.put(field.awsName(), item);
        aws.api().call(type, request(aws, field.operation(), bucket, members));
      }
      return;
    }
    aws.api().call(type, request(aws, field.operation(), bucket, Map.of(field.awsName(), value)));
  }

  /** The tag set to put: jack's defaults and the user's tags. */
  private static JsonNode tagging(JsonNode userTagging, Map<String, String> defaults) {
    JsonNode userTags = userTagging == null ? null : userTagging.get("tagSet");
    ArrayNode tagSet = JSON.arrayNode();
    Tags.desired(defaults, userTags, "key", "value")
        .forEach((k, v) -> tagSet.addObject().put("key", k).put("value", v));
    ObjectNode tagging = JSON.objectNode();
    tagging.set("tagSet", tagSet);
    return tagging;
  }

  @Override
  public void delete(ResourceState known, AwsContext aws) {
    aws.api()
        .call(OpType.DELETE, DeleteBucketRequest.builder().bucket(known.specText("name")).build());
  }

  @Override
  public boolean exists(ResourceState known, AwsContext aws) {
    try {
      aws.api()
          .call(
              OpType.READ_ONE, HeadBucketRequest.builder().bucket(known.specText("name")).build());
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static SdkRequest request(
      AwsContext aws, String operation, String bucket, Map<String, JsonNode> members) {
    Map<String, JsonNode> all = new LinkedHashMap<>(members);
    all.put("Bucket", JSON.textNode(bucket));
    return aws.mapper().request(aws.descriptor().sdkPackage(), operation, all);
  }

  private static String arn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }
}

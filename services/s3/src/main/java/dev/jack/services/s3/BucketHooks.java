package dev.jack.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jack.runtime.AwsContext;
import dev.jack.runtime.Delta;
import dev.jack.runtime.OpType;
import dev.jack.runtime.ResourceHooks;
import dev.jack.runtime.ResourceState;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkPojo;

/**
 * A Bucket's exceptions to the generic manager: a bucket outside us-east-1 names its region at
 * creation; and the analytics, intelligent-tiering, inventory and metrics configurations are lists
 * whose items S3 reads with one list call and writes one call per item, by id.
 */
final class BucketHooks implements ResourceHooks {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A list configuration: its list and put operations and their members. */
  private record ItemList(String list, String member, String put, String putMember) {}

  private static final Map<String, ItemList> LISTS =
      Map.of(
          "analytics",
          new ItemList(
              "ListBucketAnalyticsConfigurations",
              "AnalyticsConfigurationList",
              "PutBucketAnalyticsConfiguration",
              "AnalyticsConfiguration"),
          "intelligentTiering",
          new ItemList(
              "ListBucketIntelligentTieringConfigurations",
              "IntelligentTieringConfigurationList",
              "PutBucketIntelligentTieringConfiguration",
              "IntelligentTieringConfiguration"),
          "inventory",
          new ItemList(
              "ListBucketInventoryConfigurations",
              "InventoryConfigurationList",
              "PutBucketInventoryConfiguration",
              "InventoryConfiguration"),
          "metrics",
          new ItemList(
              "ListBucketMetricsConfigurations",
              "MetricsConfigurationList",
              "PutBucketMetricsConfiguration",
              "MetricsConfiguration"));

  @Override
  public void beforeCall(
      String operation, Map<String, JsonNode> members, ResourceState desired, AwsContext aws) {
    if (operation.equals("CreateBucket")
        && !aws.region().equals("us-east-1")
        && !members.containsKey("CreateBucketConfiguration")) {
      members.put(
          "CreateBucketConfiguration", JSON.objectNode().put("locationConstraint", aws.region()));
    }
  }

  @Override
  public void afterRead(
      ResourceState latest, Map<String, JsonNode> output, ResourceState desired, AwsContext aws) {
    for (Map.Entry<String, ItemList> entry : LISTS.entrySet()) {
      String field = entry.getKey();
      if (desired.spec().hasNonNull(field) || desired.owned().fields().contains(field)) {
        ItemList list = entry.getValue();
        SdkPojo response =
            aws.api().call(OpType.READ_ONE, request(aws, list.list(), desired, Map.of()));
        JsonNode items = aws.mapper().read(response).get(list.member());
        latest.spec().set(field, items == null ? JSON.arrayNode() : items);
      }
    }
  }

  @Override
  public boolean update(String field, ResourceState desired, ResourceState latest, AwsContext aws) {
    ItemList list = LISTS.get(field);
    if (list == null) {
      return false;
    }
    JsonNode wanted = desired.spec().path(field);
    JsonNode observed = latest.spec().path(field);
    // Items are put one at a time; removing one from the spec leaves it in S3 (not tracked yet).
    for (JsonNode item : wanted) {
      String id = item.path("id").asText();
      if (!contains(observed, id, item)) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        members.put("Id", JSON.textNode(id));
        members.put(list.putMember(), item);
        aws.api().call(OpType.UPDATE, request(aws, list.put(), desired, members));
      }
    }
    return true;
  }

  /** Whether AWS has the item with this id and every value the spec sets for it. */
  private static boolean contains(JsonNode items, String id, JsonNode item) {
    for (JsonNode existing : items) {
      if (id.equals(existing.path("id").asText()) && Delta.covers(existing, item)) {
        return true;
      }
    }
    return false;
  }

  private static software.amazon.awssdk.core.SdkRequest request(
      AwsContext aws, String operation, ResourceState desired, Map<String, JsonNode> members) {
    Map<String, JsonNode> all = new LinkedHashMap<>(members);
    all.put("Bucket", JSON.textNode(desired.specText("name")));
    return aws.mapper().request(aws.descriptor().sdkPackage(), operation, all);
  }
}

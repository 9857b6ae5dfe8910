package dev.jack.services.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.runtime.AwsContext;
import dev.jack.runtime.OpType;
import dev.jack.runtime.ResourceHooks;
import dev.jack.runtime.ResourceState;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsDescription;
import software.amazon.awssdk.services.dynamodb.model.DescribeContinuousBackupsRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeContinuousBackupsResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeContributorInsightsRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeContributorInsightsResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/**
 * A Table's settings that DynamoDB reports in another form than it takes them: server-side
 * encryption (as a description), time to live, point-in-time recovery and contributor insights
 * (each from an operation of its own, read only when the spec sets it).
 */
final class TableHooks implements ResourceHooks {

  @Override
  public void afterRead(
      ResourceState latest, Map<String, JsonNode> output, ResourceState desired, AwsContext aws) {
    String table = desired.specText("tableName");
    JsonNode sse = output.get("SSEDescription");
    if (sse != null && desired.spec().hasNonNull("sseSpecification")) {
      ObjectNode spec = latest.spec().putObject("sseSpecification");
      String status = sse.path("status").asText("");
      spec.put("enabled", status.equals("ENABLED") || status.equals("UPDATING"));
      if (sse.hasNonNull("sseType")) {
        spec.put("sseType", sse.get("sseType").asText());
      }
      if (sse.hasNonNull("kmsMasterKeyARN")) {
        spec.put("kmsMasterKeyID", sse.get("kmsMasterKeyARN").asText());
      }
    }
    if (desired.spec().hasNonNull("timeToLive")) {
      DescribeTimeToLiveResponse ttl =
          aws.api()
              .call(OpType.READ_ONE, DescribeTimeToLiveRequest.builder().tableName(table).build());
      TimeToLiveDescription description = ttl.timeToLiveDescription();
      ObjectNode spec = latest.spec().putObject("timeToLive");
      String status = description == null ? "" : description.timeToLiveStatusAsString();
      spec.put("enabled", "ENABLED".equals(status) || "ENABLING".equals(status));
      if (description != null && description.attributeName() != null) {
        spec.put("attributeName", description.attributeName());
      }
    }
    if (desired.spec().hasNonNull("continuousBackups")) {
      DescribeContinuousBackupsResponse backups =
          aws.api()
              .call(
                  OpType.READ_ONE,
                  DescribeContinuousBackupsRequest.builder().tableName(table).build());
      ContinuousBackupsDescription description = backups.continuousBackupsDescription();
      boolean enabled =
          description != null
              && description.pointInTimeRecoveryDescription() != null
              && "ENABLED"
                  .equals(
                      description
                          .pointInTimeRecoveryDescription()
                          .pointInTimeRecoveryStatusAsString());
      latest.spec().putObject("continuousBackups").put("pointInTimeRecoveryEnabled", enabled);
    }
    if (desired.spec().hasNonNull("contributorInsights")) {
      DescribeContributorInsightsResponse insights =
          aws.api()
              .call(
                  OpType.READ_ONE,
                  DescribeContributorInsightsRequest.builder().tableName(table).build());
      String status = insights.contributorInsightsStatusAsString();
      latest
          .spec()
          .put(
              "contributorInsights",
              "ENABLED".equals(status) || "ENABLING".equals(status) ? "ENABLE" : "DISABLE");
    }
  }
}

package dev.jack.services.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.runtime.Attributes;
import dev.jack.runtime.AwsContext;
import dev.jack.runtime.AwsErrors;
import dev.jack.runtime.Delta;
import dev.jack.runtime.OpType;
import dev.jack.runtime.ResourceManager;
import dev.jack.runtime.ResourceState;
import dev.jack.runtime.Tags;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ListQueueTagsRequest;
import software.amazon.awssdk.services.sqs.model.ListQueueTagsResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.TagQueueRequest;

/**
 * The SQS side of a Queue. A queue is found by its URL, or before jack knows it by its name (so a
 * queue created just before a crash is found, not created twice); its settings are one attributes
 * map; its tags are read only when the spec sets some.
 */
final class QueueManager implements ResourceManager {

  private static final Set<String> NOT_FOUND =
      Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");

  @Override
  public Optional<ResourceState> readOne(ResourceState desired, AwsContext aws) {
    try {
      String url = url(desired, aws);
      GetQueueAttributesResponse attributes =
          aws.api()
              .call(
                  OpType.READ_ONE,
                  GetQueueAttributesRequest.builder()
                      .queueUrl(url)
                      .attributeNames(QueueAttributeName.ALL)
                      .build());
      ResourceState latest = ResourceState.empty();
      latest.spec().put("queueName", desired.specText("queueName"));
      latest.status().put("queueURL", url);
      Attributes.toState(aws.descriptor(), attributes.attributesAsStrings(), latest);
      if (desired.spec().hasNonNull("tags")) {
        ListQueueTagsResponse tags =
            aws.api().call(OpType.READ_ONE, ListQueueTagsRequest.builder().queueUrl(url).build());
        ObjectNode tagsJson = latest.spec().putObject("tags");
        tags.tags().forEach(tagsJson::put);
      }
      return Optional.of(latest);
    } catch (RuntimeException e) {
      if (AwsErrors.hasCode(e, NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public ResourceState create(ResourceState desired, AwsContext aws) {
    Map<String, String> tags =
        Tags.desired(aws.defaultTags(), desired.spec().get("tags"), null, null);
    CreateQueueResponse created =
        aws.api()
            .call(
                OpType.CREATE,
                CreateQueueRequest.builder()
                    .queueName(desired.specText("queueName"))
                    .attributesWithStrings(Attributes.fromSpec(aws.descriptor(), desired, null))
                    .tags(tags)
                    .build());
    ResourceState state = ResourceState.empty();
    state.status().put("queueURL", created.queueUrl());
    return state;
  }

  @Override
  public ResourceState update(
      ResourceState desired, ResourceState latest, Delta delta, AwsContext aws) {
    String url = latest.statusText("queueURL");
    Map<String, String> changed = Attributes.fromSpec(aws.descriptor(), desired, delta.fields());
    if (!changed.isEmpty()) {
      aws.api()
          .call(
              OpType.UPDATE,
              SetQueueAttributesRequest.builder()
                  .queueUrl(url)
                  .attributesWithStrings(changed)
                  .build());
    }
    if (delta.contains("tags")) {
      Map<String, String> tags = Tags.desired(Map.of(), desired.spec().get("tags"), null, null);
      aws.api().call(OpType.UPDATE, TagQueueRequest.builder().queueUrl(url).tags(tags).build());
    }
    ResourceState updated = latest.copy();
    for (String field : delta.fields()) {
      JsonNode value = desired.spec().get(field);
      if (field.equals("tags")) {
        ObjectNode merged = updated.spec().with("tags");
        value.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
      } else {
        updated.spec().set(field, value);
      }
    }
    return updated;
  }

  @Override
  public boolean exists(ResourceState known, AwsContext aws) {
    try {
      aws.api()
          .call(
              OpType.READ_ONE,
              GetQueueAttributesRequest.builder()
                  .queueUrl(url(known, aws))
                  .attributeNames(QueueAttributeName.QUEUE_ARN)
                  .build());
      return true;
    } catch (RuntimeException e) {
      if (AwsErrors.hasCode(e, NOT_FOUND)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void delete(ResourceState known, AwsContext aws) {
    aws.api().call(OpType.DELETE, DeleteQueueRequest.builder().queueUrl(url(known, aws)).build());
  }

  /** The queue's URL: from the status, or looked up by name before jack has recorded it. */
  private static String url(ResourceState known, AwsContext aws) {
    String url = known.statusText("queueURL");
    if (url != null) {
      return url;
    }
    GetQueueUrlResponse found =
        aws.api()
            .call(
                OpType.READ_ONE,
                GetQueueUrlRequest.builder().queueName(known.specText("queueName")).build());
    return found.queueUrl();
  }
}

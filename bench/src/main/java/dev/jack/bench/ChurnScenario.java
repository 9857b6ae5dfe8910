package dev.jack.bench;

import dev.jack.testenv.AwsProxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A tenth of the converged resources changed (a bucket's versioning enabled, a queue's visibility
 * timeout raised) and another tenth deleted, at once: how long until AWS has every change (the
 * write seen at the endpoint) and every deleted resource is gone from the API server (its finalizer
 * removed after the delete in AWS), the calls and the CPU time. What AWS holds is read back from
 * moto before anything is reported.
 */
final class ChurnScenario {

  record Result(
      int updated,
      int deleted,
      double convergeSeconds,
      Map<String, CallCensus.KindCalls> kinds,
      long calls,
      Map<String, Long> callsByOperation,
      double cpuSeconds) {}

  /** Which resources the churn changes and which it deletes: a tenth of each kind each. */
  record Plan(List<ResourceRef> updated, List<ResourceRef> deleted) {
    static Plan of(List<ResourceRef> refs, List<Kind> kinds) {
      List<ResourceRef> updated = new ArrayList<>();
      List<ResourceRef> deleted = new ArrayList<>();
      for (Kind kind : kinds) {
        List<ResourceRef> ofKind = refs.stream().filter(r -> r.kind() == kind).toList();
        int tenth = Math.max(1, ofKind.size() / 10);
        updated.addAll(ofKind.subList(0, tenth));
        deleted.addAll(ofKind.subList(tenth, 2 * tenth));
      }
      return new Plan(updated, deleted);
    }
  }

  private ChurnScenario() {}

  static Result run(Stage stage, Plan plan) {
    List<ResourceRef> updated = plan.updated();
    List<ResourceRef> deleted = plan.deleted();
    stage.awaitQuiet(Duration.ofSeconds(3));
    int mark = stage.aws().mark();
    double cpuBefore = stage.controller().usage().cpuSeconds();
    long origin = System.nanoTime();
    stage.fleet().change(updated);
    stage.fleet().delete(deleted);
    stage.await(
        "the churn's " + updated.size() + " changes and " + deleted.size() + " deletes",
        () ->
            deleted.stream().allMatch(r -> stage.watch().deletedAt(r) != null)
                && written(stage.aws().callsSince(mark), updated),
        () ->
            deleted.stream().filter(r -> stage.watch().deletedAt(r) != null).count()
                + " of "
                + deleted.size()
                + " deleted");
    double seconds = (System.nanoTime() - origin) / 1e9;
    stage.awaitQuiet(Duration.ofSeconds(3));
    double cpu = stage.controller().usage().cpuSeconds() - cpuBefore;
    checkAws(stage, updated, deleted);
    Map<Kind, Integer> counts = new LinkedHashMap<>();
    updated.forEach(r -> counts.merge(r.kind(), 1, Integer::sum));
    deleted.forEach(r -> counts.merge(r.kind(), 1, Integer::sum));
    List<AwsProxy.Call> calls = stage.aws().callsSince(mark);
    return new Result(
        updated.size(),
        deleted.size(),
        seconds,
        CallCensus.of(calls, counts).kinds(),
        calls.size(),
        stage.aws().operationsSince(mark),
        cpu);
  }

  /** Whether every change has been written to AWS: its write operation, naming the resource. */
  private static boolean written(List<AwsProxy.Call> calls, List<ResourceRef> updated) {
    java.util.Set<String> done = new java.util.HashSet<>();
    for (AwsProxy.Call call : calls) {
      String operation = Operations.name(call);
      if (operation.equals("PutBucketVersioning")) {
        done.add(Operations.bucketOf(call));
      } else if (operation.equals("SetQueueAttributes")) {
        String body = new String(call.body(), StandardCharsets.UTF_8);
        for (ResourceRef ref : updated) {
          if (body.contains("/" + ref.name() + "\"")) {
            done.add(ref.name());
          }
        }
      }
    }
    return updated.stream().allMatch(r -> done.contains(r.name()));
  }

  private static void checkAws(Stage stage, List<ResourceRef> updated, List<ResourceRef> deleted) {
    try (S3Client s3 = stage.aws().s3();
        SqsClient sqs = stage.aws().sqs()) {
      for (ResourceRef ref : updated) {
        boolean applied =
            ref.kind() == Kind.BUCKET
                ? s3.getBucketVersioning(b -> b.bucket(ref.name())).status()
                    == BucketVersioningStatus.ENABLED
                : Kind.CHANGED_VISIBILITY_TIMEOUT.equals(
                    sqs.getQueueAttributes(
                            q ->
                                q.queueUrl(sqs.getQueueUrl(u -> u.queueName(ref.name())).queueUrl())
                                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                        .attributes()
                        .get(QueueAttributeName.VISIBILITY_TIMEOUT));
        if (!applied) {
          throw new IllegalStateException(
              stage.launcher().title() + ": AWS does not have the change of " + ref);
        }
      }
      for (ResourceRef ref : deleted) {
        if (exists(s3, sqs, ref)) {
          throw new IllegalStateException(
              stage.launcher().title() + ": " + ref + " is still in AWS after its delete");
        }
      }
    }
  }

  private static boolean exists(S3Client s3, SqsClient sqs, ResourceRef ref) {
    try {
      if (ref.kind() == Kind.BUCKET) {
        s3.headBucket(b -> b.bucket(ref.name()));
      } else {
        sqs.getQueueUrl(u -> u.queueName(ref.name()));
      }
      return true;
    } catch (NoSuchBucketException | QueueDoesNotExistException gone) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    } catch (SqsException e) {
      // moto answers the JSON protocol's code, which this SDK does not map to its exception.
      if (e.getMessage().contains("does not exist")) {
        return false;
      }
      throw e;
    }
  }
}

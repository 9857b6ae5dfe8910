package dev.jack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.testenv.AwsProxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperationsTest {

  private static AwsProxy.Call call(String method, String path, String query) {
    return new AwsProxy.Call(method, path, query, null, null, null, new byte[0]);
  }

  @Test
  void namesS3RestCallsAsAwsDoes() {
    assertThat(Operations.name(call("GET", "/", null))).isEqualTo("ListBuckets");
    assertThat(Operations.name(call("HEAD", "/b-s3-00001", null))).isEqualTo("HeadBucket");
    assertThat(Operations.name(call("PUT", "/b-s3-00001", null))).isEqualTo("CreateBucket");
    assertThat(Operations.name(call("DELETE", "/b-s3-00001", null))).isEqualTo("DeleteBucket");
    assertThat(Operations.name(call("GET", "/b", "versioning"))).isEqualTo("GetBucketVersioning");
    assertThat(Operations.name(call("PUT", "/b", "tagging="))).isEqualTo("PutBucketTagging");
    assertThat(Operations.name(call("GET", "/b", "publicAccessBlock")))
        .isEqualTo("GetPublicAccessBlock");
    assertThat(Operations.name(call("GET", "/b", "x-id=GetBucketAcl&acl")))
        .isEqualTo("GetBucketAcl");
  }

  @Test
  void readsAndWritesAndServices() {
    AwsProxy.Call sqs =
        new AwsProxy.Call(
            "POST",
            "/",
            null,
            "AmazonSQS.GetQueueAttributes",
            null,
            null,
            "{\"QueueUrl\":\"http://127.0.0.1:1/123456789012/b-sqs-00001\"}"
                .getBytes(StandardCharsets.UTF_8));
    AwsProxy.Call sts =
        new AwsProxy.Call(
            "POST",
            "/",
            null,
            null,
            null,
            null,
            "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8));
    assertThat(Operations.service(sqs)).isEqualTo("sqs");
    assertThat(Operations.service(sts)).isEqualTo("sts");
    assertThat(Operations.service(call("HEAD", "/b", null))).isEqualTo("s3");
    assertThat(Operations.isRead(sqs)).isTrue();
    assertThat(Operations.isRead(call("PUT", "/b", "versioning"))).isFalse();
    assertThat(Operations.isRead(call("HEAD", "/b", null))).isTrue();
  }

  @Test
  void aCensusNamesTheResourcesItsReadsLookedAt() {
    AwsProxy.Call queueRead =
        new AwsProxy.Call(
            "POST",
            "/",
            null,
            "AmazonSQS.GetQueueAttributes",
            null,
            null,
            "{\"QueueUrl\":\"http://127.0.0.1:1/123456789012/b-sqs-00001\"}"
                .getBytes(StandardCharsets.UTF_8));
    CallCensus census =
        CallCensus.of(
            java.util.List.of(
                queueRead, call("HEAD", "/b-s3-00007", null), call("PUT", "/w", null)),
            java.util.Map.of(Kind.BUCKET, 2, Kind.QUEUE, 1));
    assertThat(census.read("b-sqs-00001")).isTrue();
    assertThat(census.read("b-s3-00007")).isTrue();
    assertThat(census.read("w")).as("a write is not a read").isFalse();
    assertThat(census.kinds().get("Bucket").reads()).isEqualTo(1);
    assertThat(census.kinds().get("Bucket").writes()).isEqualTo(1);
    assertThat(census.kinds().get("Bucket").readsPerResource()).isEqualTo(0.5);
  }
}

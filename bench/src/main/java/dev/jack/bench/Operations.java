package dev.jack.bench;

import dev.jack.testenv.AwsProxy;
import java.util.Locale;
import java.util.Map;

/**
 * Names the AWS operation, the service and the kind (read or write) of a call the proxy saw. The
 * JSON and query protocols name their operation; S3's REST calls are named from the method and the
 * sub-resource of the query ({@code GET /bucket?versioning} is GetBucketVersioning), as AWS names
 * them.
 */
final class Operations {

  /** S3 sub-resources whose operation names are not {@code <Verb>Bucket<SubResource>}. */
  private static final Map<String, String> S3_SUBRESOURCES =
      Map.ofEntries(
          Map.entry("publicAccessBlock", "PublicAccessBlock"),
          Map.entry("object-lock", "ObjectLockConfiguration"),
          Map.entry("intelligent-tiering", "BucketIntelligentTieringConfiguration"),
          Map.entry("accelerate", "BucketAccelerateConfiguration"),
          Map.entry("lifecycle", "BucketLifecycleConfiguration"),
          Map.entry("notification", "BucketNotificationConfiguration"),
          Map.entry("analytics", "BucketAnalyticsConfiguration"),
          Map.entry("metrics", "BucketMetricsConfiguration"),
          Map.entry("inventory", "BucketInventoryConfiguration"));

  private Operations() {}

  static String name(AwsProxy.Call call) {
    if (!service(call).equals("s3")) {
      return call.operation();
    }
    String verb = verb(call.method());
    String bucket = bucketOf(call);
    if (bucket == null) {
      return call.method().equals("GET") ? "ListBuckets" : verb + " /";
    }
    if (call.path().length() > bucket.length() + 2) {
      return verb + "Object";
    }
    String subresource = subresource(call.query());
    if (subresource == null) {
      return switch (call.method()) {
        case "HEAD" -> "HeadBucket";
        case "PUT" -> "CreateBucket";
        case "DELETE" -> "DeleteBucket";
        case "GET" -> "ListObjects";
        default -> verb + "Bucket";
      };
    }
    String named =
        S3_SUBRESOURCES.getOrDefault(
            subresource,
            "Bucket" + Character.toUpperCase(subresource.charAt(0)) + subresource.substring(1));
    return verb + named;
  }

  /** {@code s3}, {@code sqs}, {@code sts}, or the JSON target's prefix for another service. */
  static String service(AwsProxy.Call call) {
    if (call.service() != null) {
      return call.service();
    }
    if (call.target() != null) {
      String prefix = call.target().substring(0, Math.max(0, call.target().indexOf('.')));
      return prefix.equals("AmazonSQS") ? "sqs" : prefix.toLowerCase(Locale.ROOT);
    }
    String operation = call.operation();
    if (operation.equals("GetCallerIdentity") || operation.startsWith("AssumeRole")) {
      return "sts";
    }
    return operation.startsWith(call.method() + " ") ? "s3" : "query";
  }

  /** Whether the call only reads: S3's GET and HEAD, and the other services' Get/List/Describe. */
  static boolean isRead(AwsProxy.Call call) {
    if (service(call).equals("s3")) {
      return call.method().equals("GET") || call.method().equals("HEAD");
    }
    String operation = call.operation();
    return operation.startsWith("Get")
        || operation.startsWith("List")
        || operation.startsWith("Describe")
        || operation.startsWith("Head");
  }

  /** The bucket a path-style S3 call names, or null for the service's root ({@code GET /}). */
  static String bucketOf(AwsProxy.Call call) {
    String path = call.path();
    if (path == null || path.length() <= 1) {
      return null;
    }
    int slash = path.indexOf('/', 1);
    return slash < 0 ? path.substring(1) : path.substring(1, slash);
  }

  private static String subresource(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      // A listing's parameters are not sub-resources.
      if (!key.isEmpty() && !key.equals("x-id") && !key.startsWith("list-type")) {
        return key;
      }
    }
    return null;
  }

  private static String verb(String method) {
    return switch (method) {
      case "GET" -> "Get";
      case "PUT" -> "Put";
      case "DELETE" -> "Delete";
      case "HEAD" -> "Head";
      case "POST" -> "Post";
      default -> method;
    };
  }
}

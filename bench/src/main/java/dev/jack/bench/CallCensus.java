package dev.jack.bench;

import dev.jack.testenv.AwsProxy;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls of a window, per kind: reads and writes apart, and which resources they named (a bucket
 * by its path, a queue by the URL or name in the request), so that a scenario can check that every
 * resource was actually looked at before it reports what that cost.
 */
record CallCensus(Map<String, KindCalls> kinds, Set<String> named) {

  /** One kind's calls in the window. */
  record KindCalls(int resources, long reads, long writes) {
    public double readsPerResource() {
      return reads / (double) resources;
    }

    public double writesPerResource() {
      return writes / (double) resources;
    }
  }

  private static final Pattern QUEUE =
      Pattern.compile("\"Queue(?:Url|Name)\"\\s*:\\s*\"(?:[^\"]*/)?([^\"/]+)\"");

  static CallCensus of(List<AwsProxy.Call> calls, Map<Kind, Integer> resources) {
    Map<String, KindCalls> kinds = new LinkedHashMap<>();
    resources.forEach(
        (kind, count) -> {
          List<AwsProxy.Call> ofKind =
              calls.stream().filter(c -> Operations.service(c).equals(kind.service())).toList();
          long reads = ofKind.stream().filter(Operations::isRead).count();
          kinds.put(kind.kindName(), new KindCalls(count, reads, ofKind.size() - reads));
        });
    Set<String> named = new HashSet<>();
    for (AwsProxy.Call call : calls) {
      if (!Operations.isRead(call)) {
        continue;
      }
      String service = Operations.service(call);
      if (service.equals("s3")) {
        String bucket = Operations.bucketOf(call);
        if (bucket != null) {
          named.add(bucket);
        }
      } else if (service.equals("sqs")) {
        Matcher m = QUEUE.matcher(new String(call.body(), StandardCharsets.UTF_8));
        while (m.find()) {
          named.add(m.group(1));
        }
      }
    }
    return new CallCensus(kinds, named);
  }

  /**
   * Whether {@code name} was named by a read of the window. ACK's S3 controller finds a bucket by
   * listing them all; its reads of the bucket's configurations name it.
   */
  boolean read(String name) {
    return named.contains(name);
  }
}

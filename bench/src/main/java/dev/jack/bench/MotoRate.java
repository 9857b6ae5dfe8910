package dev.jack.bench;

import dev.jack.testenv.Binaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * moto's own request rate, with no controller: the SDK calling one cheap operation in a loop for a
 * few seconds, from one thread and from several. Every figure of a controller is bounded by it, so
 * it is measured first. Also measured: the same call through the counting proxy (what the proxy
 * adds), and ListBuckets with as many buckets as the burst makes (ACK's S3 controller finds a
 * bucket by listing all of them, so its cost grows with their number).
 */
final class MotoRate {

  record Measurement(
      String operation, int threads, String through, long calls, double callsPerSecond) {}

  private MotoRate() {}

  static List<Measurement> run(Binaries binaries, Path workDir, Duration each, int buckets) {
    List<Measurement> results = new ArrayList<>();
    try (AwsEndpoint aws = AwsEndpoint.start(binaries, workDir);
        S3Client s3 = aws.s3();
        S3Client proxied = aws.s3ThroughProxy();
        SqsClient sqs = aws.sqs()) {
      s3.createBucket(b -> b.bucket("rate-probe"));
      for (int threads : List.of(1, 4)) {
        results.add(
            measure(
                "HeadBucket",
                threads,
                "moto",
                each,
                () -> s3.headBucket(b -> b.bucket("rate-probe"))));
        results.add(
            measure(
                "CreateQueue (existing)",
                threads,
                "moto",
                each,
                () -> sqs.createQueue(q -> q.queueName("rate-probe"))));
      }
      results.add(
          measure(
              "HeadBucket",
              4,
              "proxy",
              each,
              () -> proxied.headBucket(b -> b.bucket("rate-probe"))));
      for (int i = 0; i < buckets; i++) {
        String name = String.format("rate-probe-%05d", i);
        s3.createBucket(b -> b.bucket(name));
      }
      results.add(
          measure("ListBuckets (" + (buckets + 1) + " buckets)", 1, "moto", each, s3::listBuckets));
    }
    return results;
  }

  private static Measurement measure(
      String operation, int threads, String through, Duration each, Runnable call) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      long deadline = start + each.toNanos();
      List<Future<Long>> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        workers.add(
            pool.submit(
                () -> {
                  long calls = 0;
                  while (System.nanoTime() < deadline) {
                    call.run();
                    calls++;
                  }
                  return calls;
                }));
      }
      long calls = 0;
      for (Future<Long> worker : workers) {
        calls += worker.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Measurement(operation, threads, through, calls, calls / seconds);
    } catch (ExecutionException e) {
      throw new IllegalStateException("moto failed " + operation + " while measuring it", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}

package dev.jack.bench;

import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.Binaries;
import dev.jack.testenv.MotoServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A fresh AWS endpoint for one controller: a new moto behind a counting proxy on loopback. The
 * proxy answers every GetBucketEncryption with the default encryption (SSE-S3) that AWS has given
 * every bucket since January 2023: stock moto answers that there is none, on which ACK's S3
 * controller dereferences a null and panics (ACK community #2990). Both controllers get the same
 * answer; nothing of ACK is patched.
 */
final class AwsEndpoint implements AutoCloseable {

  static final String DEFAULT_ENCRYPTION =
      "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
          + "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
          + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"
          + "</Rule></ServerSideEncryptionConfiguration>";

  private final MotoServer moto;
  private final AwsProxy proxy;

  private AwsEndpoint(MotoServer moto, AwsProxy proxy) {
    this.moto = moto;
    this.proxy = proxy;
  }

  static AwsEndpoint start(Binaries binaries, Path workDir) {
    MotoServer moto = MotoServer.start(binaries, workDir);
    AwsProxy proxy = AwsProxy.start(moto.endpoint());
    proxy.answer(
        call ->
            call.method().equals("GET")
                && call.query() != null
                && call.query().startsWith("encryption"),
        Integer.MAX_VALUE,
        200,
        "application/xml",
        DEFAULT_ENCRYPTION);
    return new AwsEndpoint(moto, proxy);
  }

  /** The endpoint the controller is given: the proxy's. */
  URI url() {
    return proxy.endpoint();
  }

  int motoPort() {
    return moto.endpoint().getPort();
  }

  /** How many calls the proxy has seen so far; a mark for {@link #callsSince(int)}. */
  int mark() {
    return proxy.calls().size();
  }

  /** The calls since {@code mark}, in order. */
  List<AwsProxy.Call> callsSince(int mark) {
    List<AwsProxy.Call> calls = proxy.calls();
    return calls.subList(Math.min(mark, calls.size()), calls.size());
  }

  /** The calls since {@code mark} by operation name, sorted by name. */
  Map<String, Long> operationsSince(int mark) {
    Map<String, Long> byOperation = new TreeMap<>();
    callsSince(mark).forEach(call -> byOperation.merge(Operations.name(call), 1L, Long::sum));
    return byOperation;
  }

  /** When the first call since {@code mark} that {@code match} selects arrived (nanoTime). */
  OptionalLong arrivalOfFirstSince(int mark, Predicate<AwsProxy.Call> match) {
    return proxy.arrivalOfFirst(mark, match);
  }

  long countSince(int mark, Predicate<AwsProxy.Call> match) {
    return callsSince(mark).stream().filter(match).count();
  }

  /**
   * A client of moto itself, past the proxy: reading back what a controller did costs it nothing.
   */
  S3Client s3() {
    return moto.configure(S3Client.builder()).forcePathStyle(true).build();
  }

  SqsClient sqs() {
    return moto.configure(SqsClient.builder()).build();
  }

  /** A client through the proxy, as a controller calls: what the proxy itself costs. */
  S3Client s3ThroughProxy() {
    return moto.configure(S3Client.builder()).endpointOverride(url()).forcePathStyle(true).build();
  }

  @Override
  public void close() {
    proxy.close();
    moto.close();
  }
}

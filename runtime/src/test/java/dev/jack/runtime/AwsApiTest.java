package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Which failed calls {@link AwsApi} tries again: reads that may pass, within the service's retry
 * quota; never a write, a throttled call or an answer that will not change. Against a fake STS that
 * fails as told, with no delay between attempts.
 */
class AwsApiTest {

  private static final String STS_MODEL = "software.amazon.awssdk.services.sts.model.";

  private final List<String> attempts = new ArrayList<>();
  private final Deque<RuntimeException> failures = new ArrayDeque<>();
  private RuntimeException always;

  private final StsClient sts =
      (StsClient)
          Proxy.newProxyInstance(
              StsClient.class.getClassLoader(),
              new Class<?>[] {StsClient.class},
              (proxy, method, args) -> {
                if (args != null && args[0] instanceof GetCallerIdentityRequest) {
                  attempts.add(method.getName());
                  RuntimeException failure = failures.isEmpty() ? always : failures.pop();
                  if (failure != null) {
                    throw failure;
                  }
                  return GetCallerIdentityResponse.builder().account("123456789012").build();
                }
                throw new UnsupportedOperationException(method.getName());
              });

  private AwsApi api = newApi();

  private AwsApi newApi() {
    return new AwsApi(
        "sts",
        sts,
        Map.of(),
        new AdaptiveRateLimiter(),
        new ApiMetrics(new SimpleMeterRegistry()),
        AwsApi.readRetries(BackoffStrategy.retryImmediately()),
        "123456789012/us-east-1/sts");
  }

  private static StsException error(int status, String code) {
    return (StsException)
        StsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
            .build();
  }

  private static SdkClientException reset() {
    return SdkClientException.create("Connection reset", new IOException("Connection reset"));
  }

  private Throwable read() {
    return catchThrowable(
        () -> api.call(OpType.READ_ONE, GetCallerIdentityRequest.builder().build()));
  }

  @Test
  void aReadThatFailsInPassingIsTriedAgain() {
    failures.add(error(500, "InternalFailure"));
    failures.add(reset());

    assertThat(read()).isNull();

    assertThat(attempts).hasSize(3);
  }

  @Test
  void aReadIsTriedThreeTimesAtMost() {
    always = error(503, "ServiceUnavailable");

    assertThat(read()).isInstanceOf(StsException.class);

    assertThat(attempts).hasSize(3);
  }

  @Test
  void throttlingAndAnswersThatWillNotChangeAreNotTriedAgain() {
    for (RuntimeException failure :
        List.of(
            error(400, "Throttling"),
            error(503, "SlowDown"),
            error(404, "NotFound"),
            error(400, "ValidationError"),
            // An emulator's page for an operation it lacks.
            (StsException)
                StsException.builder()
                    .statusCode(500)
                    .message("<!DOCTYPE html><title>Not yet implemented</title>")
                    .build(),
            SdkClientException.create("bad input", new IllegalArgumentException("bad")))) {
      attempts.clear();
      always = failure;
      api = newApi(); // a throttle limits the next call's rate: each case on its own limiter

      assertThat(read()).as(failure.getMessage()).isSameAs(failure);
      assertThat(attempts).as(failure.getMessage()).hasSize(1);
    }
  }

  @Test
  void aWriteIsNeverTriedAgain() {
    for (OpType write : List.of(OpType.CREATE, OpType.UPDATE, OpType.DELETE)) {
      attempts.clear();
      always = reset();

      assertThat(catchThrowable(() -> api.call(write, GetCallerIdentityRequest.builder().build())))
          .isSameAs(always);
      assertThat(attempts).as(write.name()).hasSize(1);
    }
  }

  @Test
  void whenAwsKeepsFailingTheQuotaEndsTheRetries() {
    always = error(500, "InternalFailure");

    for (int i = 0; i < 60; i++) {
      read();
    }

    // The SDK's standard quota: 500 tokens, 5 a retry: 100 retries, then one attempt a read.
    assertThat(attempts).hasSize(60 + 100);

    // Successes refill it, a token each.
    always = null;
    for (int i = 0; i < 10; i++) {
      assertThat(read()).isNull();
    }
    attempts.clear();
    always = error(500, "InternalFailure");
    for (int i = 0; i < 5; i++) {
      read();
    }
    assertThat(attempts).hasSize(5 + 2);
  }

  /**
   * STS's SDK in a class loader of its own that records which of its classes it defines: what
   * calling one operation costs in classes, which the JVM keeps for as long as the process runs.
   */
  private static final class RecordingLoader extends URLClassLoader {

    private static final String STS = "software.amazon.awssdk.services.sts.";

    final Set<String> defined = ConcurrentHashMap.newKeySet();

    RecordingLoader() {
      super(
          new URL[] {StsClient.class.getProtectionDomain().getCodeSource().getLocation()},
          AwsApiTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(STS)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = findClass(name);
          defined.add(name.substring(STS.length()));
        }
        return loaded;
      }
    }
  }

  @Test
  void aCallLoadsTheResponseClassOfItsOwnOperationOnly() throws Throwable {
    try (RecordingLoader loader = new RecordingLoader()) {
      Class<?> clientType = loader.loadClass(StsClient.class.getName());
      AwsClientBuilder<?, ?> builder =
          (AwsClientBuilder<?, ?>)
              MethodHandles.publicLookup()
                  .findStatic(
                      clientType,
                      "builder",
                      MethodType.methodType(
                          loader.loadClass(StsClient.class.getName() + "Builder")))
                  .invoke();
      builder
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
          .endpointOverride(URI.create("http://127.0.0.1:1"));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      AwsApi sts =
          new AwsApi(
              "sts",
              (SdkClient) ((SdkBuilder<?, ?>) builder).build(),
              // STS spells this operation AssumeRoleWithSAML, its request class AssumeRoleWithSaml.
              Map.of("AssumeRoleWithSaml", "AssumeRoleWithSAML"),
              new AdaptiveRateLimiter(),
              new ApiMetrics(registry),
              AwsApi.readRetries(BackoffStrategy.retryImmediately()),
              "sts");
      Class<?> requestType = loader.loadClass(STS_MODEL + "AssumeRoleWithSamlRequest");
      SdkRequest request =
          (SdkRequest)
              ((SdkBuilder<?, ?>)
                      MethodHandles.publicLookup()
                          .findStatic(
                              requestType,
                              "builder",
                              MethodType.methodType(
                                  loader.loadClass(requestType.getName() + "$Builder")))
                          .invoke())
                  .build();

      // Nothing answers on port 1: the call is made, and fails.
      assertThat(catchThrowable(() -> sts.call(OpType.CREATE, request)))
          .isInstanceOf(SdkClientException.class);

      assertThat(
              registry
                  .get("ack_outbound_api_requests")
                  .tag("op_id", "AssumeRoleWithSAML")
                  .counter()
                  .count())
          .isEqualTo(1);
      // The JVM's verifier loads every request class when it checks the client's class; the
      // response classes are loaded by what calls them.
      assertThat(loader.defined)
          .filteredOn(name -> name.endsWith("Response"))
          .containsExactlyInAnyOrder("model.StsResponse", "model.AssumeRoleWithSamlResponse");
    }
  }
}

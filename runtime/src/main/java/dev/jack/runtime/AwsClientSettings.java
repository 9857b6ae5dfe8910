package dev.jack.runtime;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How every SDK client is configured: region, credentials, the endpoint override, S3's addressing,
 * the call timeout, and no retries inside the SDK, so that each call is counted and rate limited
 * once and failures are retried by the reconciler with backoff.
 *
 * @param endpoint another endpoint, or null for AWS's
 * @param pathStyle S3 path-style addressing; null for path style exactly when {@code endpoint} is
 *     set (an emulator, a VPC endpoint rarely resolves bucket names as host names)
 * @param callTimeout the longest one call may take, or null for the SDK's default (none)
 * @param httpClient the HTTP client the client sends its calls with, which it shares with others
 *     and does not close; null for one of its own
 * @param interceptors hooks on every call of the client (metrics of calls the SDK makes on its own,
 *     such as STS credential refreshes)
 */
public record AwsClientSettings(
    Region region,
    URI endpoint,
    AwsCredentialsProvider credentials,
    Boolean pathStyle,
    Duration callTimeout,
    SdkHttpClient httpClient,
    java.util.List<ExecutionInterceptor> interceptors) {

  public AwsClientSettings(
      Region region,
      URI endpoint,
      AwsCredentialsProvider credentials,
      Boolean pathStyle,
      Duration callTimeout) {
    this(region, endpoint, credentials, pathStyle, callTimeout, null, java.util.List.of());
  }

  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B apply(B builder) {
    builder
        .region(region)
        .credentialsProvider(credentials)
        .overrideConfiguration(
            c -> {
              c.retryStrategy(AwsRetryStrategy.doNotRetry());
              interceptors.forEach(c::addExecutionInterceptor);
              if (callTimeout != null) {
                // Without SDK retries one call is one attempt: ACK's HTTP client timeout.
                c.apiCallAttemptTimeout(callTimeout);
              }
            });
    if (httpClient != null) {
      builder.httpClient(httpClient);
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    Boolean forcePathStyle = pathStyle != null ? pathStyle : endpoint != null ? Boolean.TRUE : null;
    if (forcePathStyle != null) {
      forcePathStyle(builder, forcePathStyle);
    }
    return builder;
  }

  /** Path-style addressing where the service has it (S3); other builders have no such setting. */
  private static void forcePathStyle(Object builder, boolean pathStyle) {
    // Called through the public builder interface: the builder's class itself is not public.
    for (Class<?> type : builder.getClass().getInterfaces()) {
      try {
        type.getMethod("forcePathStyle", Boolean.class).invoke(builder, pathStyle);
        return;
      } catch (NoSuchMethodException e) {
        // Not on this interface.
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot configure path-style addressing", e);
      }
    }
  }
}

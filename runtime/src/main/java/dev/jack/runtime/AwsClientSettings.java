package dev.jack.runtime;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;

/**
 * How every SDK client is configured: region, credentials, the endpoint override, and no retries
 * inside the SDK, so that each call is counted and rate limited once and failures are retried by
 * the reconciler with backoff.
 */
public record AwsClientSettings(Region region, URI endpoint, AwsCredentialsProvider credentials) {

  public <B extends AwsClientBuilder<B, C>, C> B apply(B builder) {
    builder
        .region(region)
        .credentialsProvider(credentials)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
      forcePathStyle(builder);
    }
    return builder;
  }

  /**
   * Path-style addressing where the service has it (S3): an endpoint override (an emulator, a VPC
   * endpoint) rarely resolves bucket names as host names.
   */
  private static void forcePathStyle(Object builder) {
    // Called through the public builder interface: the builder's class itself is not public.
    for (Class<?> type : builder.getClass().getInterfaces()) {
      try {
        type.getMethod("forcePathStyle", Boolean.class).invoke(builder, true);
        return;
      } catch (NoSuchMethodException e) {
        // Not on this interface.
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot configure path-style addressing", e);
      }
    }
  }
}

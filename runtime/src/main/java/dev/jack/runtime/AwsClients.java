package dev.jack.runtime;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The SDK clients of the controller, one per service and region, and the rate limiter of each
 * service, account and region, shared by every reconcile.
 */
public final class AwsClients implements AutoCloseable {

  /** AWS's default request rate for most control plane APIs is a few calls a second. */
  private static final double RATE_PER_SECOND = 10;

  private static final double BURST = 20;

  private final ControllerSettings settings;
  private final AwsCredentialsProvider credentials;
  private final ApiMetrics metrics;
  private final Map<String, AwsApi> apis = new ConcurrentHashMap<>();
  private final Map<String, AdaptiveRateLimiter> limiters = new ConcurrentHashMap<>();
  private final Map<String, String> accounts = new ConcurrentHashMap<>();
  private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();

  public AwsClients(
      ControllerSettings settings, AwsCredentialsProvider credentials, ApiMetrics metrics) {
    this.settings = settings;
    this.credentials = credentials;
    this.metrics = metrics;
  }

  /**
   * The account the controller's credentials belong to in this region, from STS at {@code
   * --aws-identity-endpoint-url} when set.
   */
  public String accountId(String region) {
    return accounts.computeIfAbsent(
        region,
        r -> {
          StsClient sts =
              (StsClient)
                  clients.computeIfAbsent(
                      "sts/" + r, k -> identitySettings(r).apply(StsClient.builder()).build());
          return sts.getCallerIdentity().account();
        });
  }

  /** The API of {@code service} in {@code region}, for the controller's account. */
  public AwsApi api(AwsService service, String region) {
    String account = accountId(region);
    return apis.computeIfAbsent(
        service.name() + "/" + region,
        k -> {
          SdkClient client =
              clients.computeIfAbsent(
                  service.name() + "/" + region, c -> service.newClient(settings(region)));
          AdaptiveRateLimiter limiter =
              limiters.computeIfAbsent(
                  account + "/" + region + "/" + service.name(),
                  l -> new AdaptiveRateLimiter(RATE_PER_SECOND, BURST));
          return new AwsApi(service.name(), client, limiter, metrics);
        });
  }

  private AwsClientSettings settings(String region) {
    return settings(region, settings.endpoint());
  }

  private AwsClientSettings identitySettings(String region) {
    URI identity = settings.identityEndpoint();
    return settings(region, identity != null ? identity : settings.endpoint());
  }

  private AwsClientSettings settings(String region, URI endpoint) {
    return new AwsClientSettings(
        Region.of(region),
        endpoint,
        credentials,
        settings.endpointPathStyle(),
        settings.httpClientTimeout());
  }

  @Override
  public void close() {
    clients.values().forEach(SdkClient::close);
  }
}

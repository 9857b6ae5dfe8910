package dev.jack.runtime;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The SDK clients of the controller, one per service, region and assumed role (CARM), and the rate
 * limiter of each service, account and region, shared by every reconcile. Every client sends its
 * calls through one HTTP client: one pool of connections, reused by every role that reaches the
 * same endpoint, and one bound on the process's connections to AWS.
 */
public final class AwsClients implements AutoCloseable {

  private final ControllerSettings settings;
  private final AwsCredentialsProvider credentials;
  private final ApiMetrics metrics;
  private final Map<String, AwsApi> apis = new ConcurrentHashMap<>();
  private final Map<String, AdaptiveRateLimiter> limiters = new ConcurrentHashMap<>();
  private final RetryStrategy retries = AwsApi.readRetries();
  private final Map<String, String> accounts = new ConcurrentHashMap<>();
  private final Map<String, SdkClient> clients = new ConcurrentHashMap<>();
  private final Map<String, StsAssumeRoleCredentialsProvider> assumed = new ConcurrentHashMap<>();
  private final int concurrentCalls;
  private SdkHttpClient http;

  /** The session name of assumed roles, as CloudTrail shows it. */
  private static final String SESSION_NAME = "jack-controller";

  /**
   * @param concurrentCalls the most calls the controller makes at once: one per reconcile that can
   *     run at once, since a reconcile makes one call at a time (an assumed role's credentials are
   *     refreshed before its call, on its thread). The HTTP client keeps at most that many
   *     connections, so no call waits for one.
   */
  public AwsClients(
      ControllerSettings settings,
      AwsCredentialsProvider credentials,
      ApiMetrics metrics,
      int concurrentCalls) {
    if (concurrentCalls < 1) {
      throw new IllegalArgumentException("concurrentCalls must be at least 1: " + concurrentCalls);
    }
    this.settings = settings;
    this.credentials = credentials;
    this.metrics = metrics;
    this.concurrentCalls = concurrentCalls;
  }

  /** The HTTP client of every SDK client, made with the first of them. */
  private synchronized SdkHttpClient http() {
    if (http == null) {
      http = ApacheHttpClient.builder().maxConnections(concurrentCalls).build();
    }
    return http;
  }

  /**
   * The account the controller's credentials belong to in this region, from STS at {@code
   * --aws-identity-endpoint-url} when set.
   */
  public String accountId(String region) {
    return accounts.computeIfAbsent(region, r -> sts(r).getCallerIdentity().account());
  }

  /** The account of {@code role}, or the controller's own for null. */
  public String accountId(String region, AccountRoles.Role role) {
    return role == null ? accountId(region) : role.accountId();
  }

  /** The API of {@code service} in {@code region}, for the controller's account. */
  public AwsApi api(AwsService service, String region) {
    return api(service, region, null);
  }

  /**
   * The API of {@code service} in {@code region} through {@code role} (CARM), or with the
   * controller's own credentials for null. Each account and region has one rate limiter per
   * service, whichever roles reach it.
   */
  public AwsApi api(AwsService service, String region, AccountRoles.Role role) {
    return api(service, region, role, null);
  }

  /**
   * The same, at {@code endpoint} instead of {@code --aws-endpoint-url} when not null (a
   * namespace's {@code services.k8s.aws/endpoint-url}).
   */
  public AwsApi api(AwsService service, String region, AccountRoles.Role role, URI endpoint) {
    String account = accountId(region, role);
    URI target = endpoint != null ? endpoint : settings.endpoint();
    String key =
        service.name()
            + "/"
            + region
            + (role == null ? "" : "/" + role.arn())
            + (endpoint == null ? "" : "/" + endpoint);
    // The role's credentials before the client: made inside the update of the map of clients,
    // their STS client would be a second update of that map, which ConcurrentHashMap refuses
    // ("Recursive update") when the two keys fall in one bin.
    AwsCredentialsProvider provider = credentials(role);
    return apis.computeIfAbsent(
        key,
        k -> {
          SdkClient client =
              clients.computeIfAbsent(
                  key, c -> service.newClient(settings(region, target, provider, List.of())));
          AdaptiveRateLimiter limiter = limiter(service.name(), account, region);
          return new AwsApi(
              service.name(),
              client,
              service.operationNames(),
              limiter,
              metrics,
              retries,
              scope(service.name(), account, region));
        });
  }

  /**
   * The controller's credentials, or those of an assumed role: the SDK's provider caches them and
   * refreshes them before they expire, through the metered STS client.
   */
  private AwsCredentialsProvider credentials(AccountRoles.Role role) {
    if (role == null) {
      return credentials;
    }
    return assumed.computeIfAbsent(
        role.arn(),
        arn ->
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts(settings.region()))
                .refreshRequest(r -> r.roleArn(arn).roleSessionName(SESSION_NAME))
                .build());
  }

  /**
   * The STS client of a region, with the controller's own credentials. Its calls (the identity
   * lookup, and the credential refreshes the SDK makes on its own) are rate limited and counted as
   * every other call is.
   */
  private StsClient sts(String region) {
    return (StsClient)
        clients.computeIfAbsent(
            "sts/" + region,
            k -> {
              URI identity = settings.identityEndpoint();
              return settings(
                      region,
                      identity != null ? identity : settings.endpoint(),
                      credentials,
                      List.of(new MeteredCalls("sts", limiter("sts", "", region), metrics)))
                  .apply(StsClient.builder())
                  .build();
            });
  }

  /** A service in an account and region: what shares one limiter and one retry quota. */
  private static String scope(String service, String account, String region) {
    return account + "/" + region + "/" + service;
  }

  /** The one limiter of a service in an account and region, with its gauge. */
  private AdaptiveRateLimiter limiter(String service, String account, String region) {
    return limiters.computeIfAbsent(
        scope(service, account, region),
        k -> {
          AdaptiveRateLimiter limiter = new AdaptiveRateLimiter();
          metrics.rateLimit(service, account, region, limiter);
          return limiter;
        });
  }

  /** Counts and rate limits the calls of a client the SDK drives itself. */
  private record MeteredCalls(String service, AdaptiveRateLimiter limiter, ApiMetrics metrics)
      implements ExecutionInterceptor {

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      limiter.acquire();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      metrics.request(service, OpType.IDENTITY, operation(attributes));
    }

    @Override
    public void onExecutionFailure(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      String operation = operation(attributes);
      metrics.request(service, OpType.IDENTITY, operation);
      metrics.error(
          service, operation, context.httpResponse().map(SdkHttpResponse::statusCode).orElse(0));
    }

    private static String operation(ExecutionAttributes attributes) {
      return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }
  }

  private AwsClientSettings settings(
      String region,
      URI endpoint,
      AwsCredentialsProvider credentials,
      List<ExecutionInterceptor> interceptors) {
    return new AwsClientSettings(
        Region.of(region),
        endpoint,
        credentials,
        settings.endpointPathStyle(),
        settings.httpClientTimeout(),
        http(),
        interceptors);
  }

  @Override
  public synchronized void close() {
    assumed.values().forEach(StsAssumeRoleCredentialsProvider::close);
    clients.values().forEach(SdkClient::close);
    if (http != null) {
      http.close();
    }
  }
}

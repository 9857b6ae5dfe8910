package dev.jack.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * Calls one AWS service in one account and region: every call waits for the shared rate limiter and
 * is counted in ACK's metrics; a read that fails in passing is tried again.
 */
public final class AwsApi {

  private final String service;
  private final SdkClient client;
  private final AdaptiveRateLimiter limiter;
  private final ApiMetrics metrics;
  private final RetryStrategy retries;
  private final String scope;
  private final Map<String, String> operationNames;
  private final Map<Class<?>, Operation> operations = new ConcurrentHashMap<>();

  /** An operation's name, as AWS and ACK's metrics spell it, and the client's method. */
  private record Operation(String name, MethodHandle method) {}

  /**
   * @param operationNames the operations the SDK's request classes spell with other capitals
   *     ({@link AwsService#operationNames})
   * @param retries the reads' retry strategy ({@link #readRetries}), shared by every API of the
   *     process
   * @param scope whose retry quota this API's reads draw on: its service, account and region
   */
  public AwsApi(
      String service,
      SdkClient client,
      Map<String, String> operationNames,
      AdaptiveRateLimiter limiter,
      ApiMetrics metrics,
      RetryStrategy retries,
      String scope) {
    this.service = service;
    this.client = client;
    this.operationNames = operationNames;
    this.limiter = limiter;
    this.metrics = metrics;
    this.retries = retries;
    this.scope = scope;
  }

  /**
   * How long a call made now would wait for the rate limiter's turn ({@link
   * AdaptiveRateLimiter#nextTurn}).
   */
  public Duration nextTurn() {
    return limiter.nextTurn();
  }

  /**
   * Calls the operation whose request this is ({@code CreateQueueRequest} calls CreateQueue). A
   * read that fails in a way that may pass (a server error other than throttling, a lost
   * connection, a timeout) is tried again at once, up to three attempts, as the AWS SDKs do by
   * default; each attempt waits for the limiter and is counted. The retries of a service in an
   * account and region draw on one quota of the SDK's standard strategy (its circuit breaker),
   * which only successes refill: when AWS keeps failing, a read is tried once and the resource's
   * backoff takes over. A write is tried once: after an answer lost on its way back, trying again
   * could make a second resource, so it is the reconcile, which reads first, that retries it.
   */
  @SuppressWarnings("unchecked")
  public <T extends SdkResponse> T call(OpType type, SdkRequest request) {
    Operation operation = operations.computeIfAbsent(request.getClass(), this::operation);
    boolean read = type == OpType.READ_ONE || type == OpType.READ_MANY;
    RetryToken token =
        read ? retries.acquireInitialToken(AcquireInitialTokenRequest.create(scope)).token() : null;
    while (true) {
      try {
        T response = (T) attempt(type, operation, request);
        if (token != null) {
          retries.recordSuccess(RecordSuccessRequest.create(token));
        }
        return response;
      } catch (RuntimeException failure) {
        RefreshRetryTokenResponse retry =
            token == null || notImplemented(operation.name(), failure)
                ? null
                : retry(token, failure);
        if (retry == null || !pause(retry.delay())) {
          throw reported(operation.name(), failure);
        }
        token = retry.token();
      }
    }
  }

  private Object attempt(OpType type, Operation operation, SdkRequest request) {
    limiter.acquire();
    metrics.request(service, type, operation.name());
    try {
      return operation.method().invokeExact((Object) client, (Object) request);
    } catch (Throwable failure) {
      if (failure instanceof SdkServiceException serviceError) {
        metrics.error(service, operation.name(), serviceError.statusCode());
        if (serviceError.isThrottlingException()) {
          limiter.throttled();
        }
      } else {
        metrics.error(service, operation.name(), 0);
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(failure);
    }
  }

  /** The next attempt's token and how long to wait for it, or null when there is none. */
  private RefreshRetryTokenResponse retry(RetryToken token, RuntimeException failure) {
    try {
      return retries.refreshRetryToken(
          RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
    } catch (TokenAcquisitionFailedException e) {
      return null;
    }
  }

  /**
   * An emulator's answer for an operation it lacks (an HTML 500): it will not pass. A HEAD answer
   * has no body to tell, and its server errors are taken as such.
   */
  private static boolean notImplemented(String operation, RuntimeException failure) {
    return !headServerError(operation, failure)
        && failure instanceof AwsServiceException aws
        && AwsErrors.isNotImplemented(aws);
  }

  /**
   * A server error of a HEAD request, whose answer has no body: nothing tells it from an operation
   * the endpoint lacks, so for the read every kind needs it is a server error, tried again, and
   * reported as one (an {@link IllegalStateException}, not an AWS error without a code).
   */
  private static boolean headServerError(String operation, RuntimeException failure) {
    return operation.startsWith("Head")
        && failure instanceof SdkServiceException service
        && service.statusCode() >= 500;
  }

  private static RuntimeException reported(String operation, RuntimeException failure) {
    if (headServerError(operation, failure)) {
      int status = ((SdkServiceException) failure).statusCode();
      return new IllegalStateException(
          operation + " failed with HTTP " + status + "; retrying", failure);
    }
    return failure;
  }

  private static boolean pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The retry strategy of reads: the SDK's standard one (three attempts, a jittered exponential
   * delay from 100 ms, the circuit breaker) for the failures that may pass: a server error that is
   * not throttling (throttling is the limiter's, and the reconcile's backoff), a call that got no
   * answer.
   */
  public static RetryStrategy readRetries() {
    return readRetries(
        BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(2)));
  }

  static RetryStrategy readRetries(BackoffStrategy backoff) {
    return StandardRetryStrategy.builder()
        .retryOnException(AwsApi::mayPass)
        .backoffStrategy(backoff)
        .circuitBreakerEnabled(true)
        .build();
  }

  static boolean mayPass(Throwable failure) {
    if (failure instanceof SdkServiceException service) {
      return service.statusCode() >= 500 && !service.isThrottlingException();
    }
    return failure instanceof SdkClientException client
        && !(client.getCause() instanceof IllegalArgumentException);
  }

  /**
   * The operation of this request class, and the client's method for it, found by name and type
   * alone: the method is the operation's name with a small first letter, taking the request and
   * answering the operation's response. Looking through every method of the client instead would
   * load the request and response classes of every operation of the service (1678 classes and 18 MB
   * of metaspace for EC2's client).
   */
  private Operation operation(Class<?> requestClass) {
    String request = requestClass.getSimpleName();
    if (!request.endsWith("Request")) {
      throw new IllegalArgumentException(request + " is no request of an AWS SDK client");
    }
    String spelled = request.substring(0, request.length() - "Request".length());
    String name = operationNames.getOrDefault(spelled, spelled);
    try {
      Class<?> response =
          Class.forName(
              requestClass.getPackageName() + "." + spelled + "Response",
              false,
              requestClass.getClassLoader());
      MethodHandle method =
          MethodHandles.publicLookup()
              .findVirtual(
                  clientInterface(),
                  Character.toLowerCase(name.charAt(0)) + name.substring(1),
                  MethodType.methodType(response, requestClass));
      return new Operation(name, method.asType(MethodType.genericMethodType(2)));
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(service + " has no operation for " + request, e);
    }
  }

  /** The service's client interface ({@code SqsClient}), which the client implements. */
  private Class<?> clientInterface() {
    for (Class<?> type : client.getClass().getInterfaces()) {
      if (SdkClient.class.isAssignableFrom(type)) {
        return type;
      }
    }
    throw new IllegalArgumentException(client.getClass() + " implements no SDK client interface");
  }
}

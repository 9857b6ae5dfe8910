package dev.jack.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Calls one AWS service in one account and region: every call waits for the shared rate limiter and
 * is counted in ACK's metrics.
 */
public final class AwsApi {

  private final String service;
  private final SdkClient client;
  private final AdaptiveRateLimiter limiter;
  private final ApiMetrics metrics;
  private final Map<Class<?>, Method> methods = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> operations = new ConcurrentHashMap<>();

  public AwsApi(String service, SdkClient client, AdaptiveRateLimiter limiter, ApiMetrics metrics) {
    this.service = service;
    this.client = client;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /** Calls the operation whose request this is ({@code CreateQueueRequest} calls CreateQueue). */
  @SuppressWarnings("unchecked")
  public <T extends SdkResponse> T call(OpType type, SdkRequest request) {
    Method method = methods.computeIfAbsent(request.getClass(), this::method);
    String operation =
        operations.computeIfAbsent(
            request.getClass(),
            c -> Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1));
    limiter.acquire();
    metrics.request(service, type, operation);
    try {
      return (T) method.invoke(client, request);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SdkServiceException serviceError) {
        metrics.error(service, operation, serviceError.statusCode());
        if (serviceError.isThrottlingException()) {
          limiter.throttled();
        }
      } else {
        metrics.error(service, operation, 0);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + operation, e);
    }
  }

  /**
   * The client method that takes this request. Found by its parameter type: the SDK names request
   * classes and methods with different capitals ({@code DescribeDbSubnetGroupsRequest} goes to
   * {@code describeDBSubnetGroups}).
   */
  private Method method(Class<?> requestClass) {
    for (Class<?> type : client.getClass().getInterfaces()) {
      for (Method candidate : type.getMethods()) {
        if (candidate.getParameterCount() == 1
            && candidate.getParameterTypes()[0] == requestClass
            && SdkResponse.class.isAssignableFrom(candidate.getReturnType())) {
          return candidate;
        }
      }
    }
    throw new IllegalArgumentException(
        service + " has no operation for " + requestClass.getSimpleName());
  }
}

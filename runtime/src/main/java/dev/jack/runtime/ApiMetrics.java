package dev.jack.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The controller's metrics: ACK's {@code ack_outbound_api_requests_total} and {@code
 * ack_outbound_api_requests_error_total} with ACK's labels, and reconcile counts and durations.
 */
public final class ApiMetrics {

  private final MeterRegistry registry;
  private final ResourceStates resources;

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.resources = new ResourceStates(registry);
  }

  /** The gauge of resources by kind, namespace and state. */
  public ResourceStates resources() {
    return resources;
  }

  /** One AWS call was made. */
  public void request(String service, OpType type, String operation) {
    Counter.builder("ack_outbound_api_requests")
        .description("Total number of outbound AWS API requests made by the controller.")
        .tag("service", service)
        .tag("op_type", type.name())
        .tag("op_id", operation)
        .register(registry)
        .increment();
  }

  /** One AWS call failed with this HTTP status code (0 when no response came back). */
  public void error(String service, String operation, int statusCode) {
    Counter.builder("ack_outbound_api_requests_error")
        .description(
            "Total number of outbound AWS API requests made by the controller that failed.")
        .tag("service", service)
        .tag("op_id", operation)
        .tag("status_code", Integer.toString(statusCode))
        .register(registry)
        .increment();
  }

  /**
   * The calls a second the rate limiter of one service, account and region allows: +Inf while AWS
   * has not throttled it lately ({@link AdaptiveRateLimiter}).
   */
  public void rateLimit(
      String service, String account, String region, AdaptiveRateLimiter limiter) {
    Gauge.builder("jack_aws_rate_limit", limiter, AdaptiveRateLimiter::currentRate)
        .description("Calls a second allowed to one AWS service; +Inf until AWS throttles it.")
        .tag("service", service)
        .tag("account", account)
        .tag("region", region)
        .register(registry);
  }

  /** One reconcile of a kind ended with this outcome. */
  public void reconcile(String kind, String outcome, Duration duration) {
    Timer.builder("jack_reconcile_duration")
        .description("Duration of reconciles, by kind and outcome.")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(registry)
        .record(duration);
  }
}

package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.runtime.AdaptiveRateLimiter;
import dev.jack.runtime.ApiMetrics;
import dev.jack.runtime.AwsApi;
import dev.jack.runtime.AwsClientSettings;
import dev.jack.runtime.AwsService;
import dev.jack.runtime.OpType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Every operation of every service's SDK client, called through {@link AwsApi} with its request
 * alone, reaches the client's own method for it, and is counted under the operation's name as AWS
 * spells it: the generated {@link AwsService#operationNames} tables are whole and right.
 */
class ServiceOperationsTest {

  @Test
  void everyRequestReachesItsOperationsMethod() throws Exception {
    List<AwsService> services = new ArrayList<>();
    ServiceLoader.load(AwsService.class).forEach(services::add);
    assertThat(services).hasSize(17);
    AwsClientSettings settings =
        new AwsClientSettings(
            Region.US_EAST_1,
            URI.create("http://127.0.0.1:1"),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
            null,
            null);
    int operations = 0;
    for (AwsService service : services) {
      Class<?> clientType;
      try (SdkClient client = service.newClient(settings)) {
        clientType = client.getClass().getInterfaces()[0];
      }
      List<String> called = new ArrayList<>();
      SdkClient fake =
          (SdkClient)
              Proxy.newProxyInstance(
                  clientType.getClassLoader(),
                  new Class<?>[] {clientType},
                  (proxy, method, args) -> {
                    called.add(method.getName());
                    return null;
                  });
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      AwsApi api =
          new AwsApi(
              service.name(),
              fake,
              service.operationNames(),
              new AdaptiveRateLimiter(),
              new ApiMetrics(registry),
              AwsApi.readRetries(),
              service.name());
      int ofService = 0;
      for (Method method : clientType.getMethods()) {
        if (method.getParameterCount() != 1
            || !SdkRequest.class.isAssignableFrom(method.getParameterTypes()[0])
            || !SdkResponse.class.isAssignableFrom(method.getReturnType())) {
          continue; // the Consumer<Builder> forms, paginators, streaming operations
        }
        SdkRequest request =
            (SdkRequest)
                ((SdkBuilder<?, ?>) method.getParameterTypes()[0].getMethod("builder").invoke(null))
                    .build();
        called.clear();

        api.call(OpType.CREATE, request);

        String operation =
            Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
        assertThat(called).as(service.name() + " " + operation).containsExactly(method.getName());
        assertThat(
                registry.get("ack_outbound_api_requests").tag("op_id", operation).counter().count())
            .as(service.name() + " " + operation)
            .isEqualTo(1);
        ofService++;
      }
      assertThat(ofService).as(service.name()).isPositive();
      operations += ofService;
    }
    // 2200 with the SDK of this build: EC2's 749, SageMaker's 379, IAM's 176, RDS's 163...
    assertThat(operations).isGreaterThan(2000);
  }
}

package dev.jack.runtime;

import dev.jack.api.AckStatus;
import dev.jack.api.descriptor.KindDescriptor;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkClient;

/**
 * One AWS service as the controller runs it: how to make its SDK client, how its operations are
 * named, and its kinds with their resource managers. Each service module provides one, found with
 * {@link java.util.ServiceLoader}.
 */
public interface AwsService {

  /** The service's short name, as in {@code --services} and its API group ({@code sqs}). */
  String name();

  /** A new SDK client of this service, configured as {@code settings} says. */
  SdkClient newClient(AwsClientSettings settings);

  /**
   * The operations whose name the SDK's request classes spell with other capitals, by the request
   * class's name without {@code Request}: {@code DescribeDbInstances} is DescribeDBInstances, which
   * the client's method {@code describeDBInstances} calls. Every other operation is named as its
   * request class.
   */
  default Map<String, String> operationNames() {
    return Map.of();
  }

  /** The kinds of this service. */
  List<ManagedKind<?>> kinds();

  /** A kind and how to make the manager of its AWS side from its descriptor. */
  record ManagedKind<R extends CustomResource<?, ? extends AckStatus>>(
      Class<R> resourceClass, Function<KindDescriptor, ResourceManager> manager) {}
}

package dev.jack.services.sqs;

import dev.jack.runtime.AwsClientSettings;
import dev.jack.runtime.AwsService;
import dev.jack.services.sqs.v1alpha1.Queue;
import java.util.List;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Amazon SQS: the Queue kind. */
public final class SqsService implements AwsService {

  @Override
  public String name() {
    return "sqs";
  }

  @Override
  public SdkClient newClient(AwsClientSettings settings) {
    return settings.apply(SqsClient.builder()).build();
  }

  @Override
  public List<ManagedKind<?>> kinds() {
    return List.of(new ManagedKind<>(Queue.class, QueueManager::new));
  }
}

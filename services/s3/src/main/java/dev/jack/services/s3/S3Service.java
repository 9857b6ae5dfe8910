package dev.jack.services.s3;

import dev.jack.runtime.AwsClientSettings;
import dev.jack.runtime.AwsService;
import dev.jack.services.s3.v1alpha1.Bucket;
import java.util.List;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Amazon S3: the Bucket kind. */
public final class S3Service implements AwsService {

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public SdkClient newClient(AwsClientSettings settings) {
    // Path-style addressing: an endpoint override (an emulator, a VPC endpoint) rarely resolves
    // bucket names as host names.
    return settings.apply(S3Client.builder()).forcePathStyle(settings.endpoint() != null).build();
  }

  @Override
  public List<ManagedKind<?>> kinds() {
    return List.of(new ManagedKind<>(Bucket.class, BucketManager::new));
  }
}

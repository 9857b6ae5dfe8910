package dev.jack.runtime;

import dev.jack.api.descriptor.KindDescriptor;
import java.util.Map;

/**
 * What a resource manager works with for one resource: the AWS service in the resource's account
 * and region, the kind's descriptor and mapper, and the tags jack adds to everything it creates.
 */
public record AwsContext(
    AwsApi api,
    String region,
    String accountId,
    KindDescriptor descriptor,
    SdkMapper mapper,
    Map<String, String> defaultTags) {}

package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.runtime.AwsClientSettings;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3's addressing as --aws-endpoint-url and --aws-endpoint-use-path-style decide it. */
class ClientSettingsTest {

  private static final URI ENDPOINT = URI.create("http://127.0.0.1:5000");

  private static String objectUrl(URI endpoint, Boolean pathStyle) {
    AwsClientSettings settings =
        new AwsClientSettings(
            Region.US_EAST_1, endpoint, AnonymousCredentialsProvider.create(), pathStyle, null);
    try (S3Client s3 = settings.apply(S3Client.builder()).build()) {
      return s3.utilities().getUrl(b -> b.bucket("logs").key("a")).toString();
    }
  }

  @Test
  void anEndpointUsesPathStyleUnlessTheFlagSaysOtherwise() {
    assertThat(objectUrl(ENDPOINT, null)).isEqualTo("http://127.0.0.1:5000/logs/a");
    assertThat(objectUrl(ENDPOINT, true)).isEqualTo("http://127.0.0.1:5000/logs/a");
    assertThat(objectUrl(URI.create("http://s3.local:5000"), false))
        .isEqualTo("http://logs.s3.local:5000/a");
  }

  @Test
  void awsUsesVirtualHostsUnlessTheFlagSaysPathStyle() {
    assertThat(objectUrl(null, null)).isEqualTo("https://logs.s3.amazonaws.com/a");
    assertThat(objectUrl(null, true)).isEqualTo("https://s3.amazonaws.com/logs/a");
  }
}

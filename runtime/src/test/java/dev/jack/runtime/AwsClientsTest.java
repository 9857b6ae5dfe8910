package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Where jack asks STS for its account: --aws-identity-endpoint-url, else --aws-endpoint-url. */
class AwsClientsTest {

  private final HttpServer identity = sts("111111111111");
  private final HttpServer endpoint = sts("222222222222");

  @AfterEach
  void stop() {
    identity.stop(0);
    endpoint.stop(0);
  }

  private static HttpServer sts(String account) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body =
                ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                        + "<GetCallerIdentityResult><Arn>arn:aws:iam::"
                        + account
                        + ":user/jack</Arn><UserId>JACK</UserId><Account>"
                        + account
                        + "</Account></GetCallerIdentityResult>"
                        + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                        + "</GetCallerIdentityResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static URI url(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static String account(ControllerSettings settings) {
    try (AwsClients clients =
        new AwsClients(
            settings,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
            new ApiMetrics(new SimpleMeterRegistry()))) {
      return clients.accountId("us-east-1");
    }
  }

  @Test
  void theIdentityEndpointAnswersWhenSet() {
    ControllerSettings settings =
        ControllerSettings.builder("us-east-1")
            .endpoint(url(endpoint))
            .identityEndpoint(url(identity))
            .build();
    assertThat(account(settings)).isEqualTo("111111111111");
  }

  @Test
  void otherwiseTheEndpointDoes() {
    ControllerSettings settings =
        ControllerSettings.builder("us-east-1").endpoint(url(endpoint)).build();
    assertThat(account(settings)).isEqualTo("222222222222");
  }
}

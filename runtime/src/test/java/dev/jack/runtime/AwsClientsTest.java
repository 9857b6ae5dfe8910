package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Where jack asks STS for its account: --aws-identity-endpoint-url, else --aws-endpoint-url. */
class AwsClientsTest {

  /** The client ports each server saw: one per connection. */
  private final Set<Integer> identityConnections = ConcurrentHashMap.newKeySet();

  private final Set<Integer> endpointConnections = ConcurrentHashMap.newKeySet();
  private final HttpServer identity = sts("111111111111", identityConnections);
  private final HttpServer endpoint = sts("222222222222", endpointConnections);

  @AfterEach
  void stop() {
    identity.stop(0);
    endpoint.stop(0);
  }

  private static HttpServer sts(String account, Set<Integer> connections) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            connections.add(exchange.getRemoteAddress().getPort());
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

  private static AwsClients clients(ControllerSettings settings) {
    return new AwsClients(
        settings,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
        new ApiMetrics(new SimpleMeterRegistry()),
        1);
  }

  private static String account(ControllerSettings settings) {
    try (AwsClients clients = clients(settings)) {
      return clients.accountId("us-east-1");
    }
  }

  /** A service whose client is STS's: another SDK client than the identity lookup's own. */
  private record StsLike(String name) implements AwsService {
    @Override
    public SdkClient newClient(AwsClientSettings settings) {
      return settings.apply(StsClient.builder()).build();
    }

    @Override
    public List<ManagedKind<?>> kinds() {
      return List.of();
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

  /**
   * A role's first client (CARM) is made while no STS client exists yet, as when every resource of
   * the process names a role: the role's credentials need the STS client, made then too. Of these
   * roles, some have a client whose place in the process's map of clients is the STS client's,
   * which ConcurrentHashMap refused to fill from inside the other's update.
   */
  @Test
  void aRolesFirstClientIsMadeBeforeAnyStsClient() {
    ControllerSettings settings =
        ControllerSettings.builder("us-east-1").endpoint(url(endpoint)).build();
    for (int team = 0; team < 32; team++) {
      AccountRoles.Role role =
          new AccountRoles.Role(
              "arn:aws:iam::333333333333:role/team-" + team, "333333333333", null);
      try (AwsClients clients = clients(settings)) {
        assertThat(clients.api(new StsLike("service"), "us-east-1", role)).isNotNull();
      }
    }
  }

  @Test
  void everyClientSendsItsCallsThroughOnePoolOfConnections() {
    ControllerSettings settings =
        ControllerSettings.builder("us-east-1").endpoint(url(endpoint)).build();
    try (AwsClients clients = clients(settings)) {
      assertThat(clients.accountId("us-east-1")).isEqualTo("222222222222");
      for (AwsService service : List.of(new StsLike("one"), new StsLike("two"))) {
        GetCallerIdentityResponse response =
            clients
                .api(service, "us-east-1")
                .call(OpType.READ_ONE, GetCallerIdentityRequest.builder().build());
        assertThat(response.account()).isEqualTo("222222222222");
      }
    }
    // Three SDK clients (the identity lookup's and two services'), one connection.
    assertThat(endpointConnections).hasSize(1);
  }
}

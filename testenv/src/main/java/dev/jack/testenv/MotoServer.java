package dev.jack.testenv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * The moto AWS emulator as a server on a free loopback port: one endpoint for every AWS service,
 * with state kept per account and region until {@link #reset()}.
 */
public final class MotoServer implements AutoCloseable {

  /** The credentials moto accepts; it does not check signatures. */
  public static final String ACCESS_KEY_ID = "testing";

  public static final String SECRET_ACCESS_KEY = "testing";

  /** moto's default account, which static test credentials map to. */
  public static final String ACCOUNT_ID = "123456789012";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Binaries binaries;
  private final Path workDir;
  private final int port;
  private final URI endpoint;
  private final HttpClient http;
  private ManagedProcess process;

  private MotoServer(Binaries binaries, Path workDir, int port) {
    this.binaries = binaries;
    this.workDir = workDir;
    this.port = port;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /** Starts moto_server with its log under {@code workDir}. */
  public static MotoServer start(Binaries binaries, Path workDir) {
    MotoServer moto = new MotoServer(binaries, workDir, Ports.freeLoopbackPort());
    moto.startProcess();
    return moto;
  }

  private void startProcess() {
    process =
        ManagedProcess.start(
            "moto",
            List.of(
                binaries.motoServer().toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
            workDir);
    process.awaitReady(this::tryReset, STARTUP_TIMEOUT);
  }

  /**
   * Stops the server, as an AWS outage would; {@link #restart()} brings it back on the same port,
   * empty.
   */
  public void stop() {
    process.close();
  }

  /** Starts the server again on the same endpoint after {@link #stop()}. */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("moto is still running at " + endpoint);
    }
    startProcess();
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Forgets every resource in every account and region, and stops enforcing IAM permissions. */
  public void reset() {
    if (!tryReset() || !post("/moto-api/reset-auth", "inf")) {
      throw new IllegalStateException("moto did not accept a reset at " + endpoint);
    }
  }

  /**
   * Makes moto check every request against the IAM policies of the caller, as AWS does (from now
   * on; {@link #reset()} stops it). Only IAM users' keys pass then, not the test keys.
   */
  public void enforceIamPermissions() {
    if (!post("/moto-api/reset-auth", "0")) {
      throw new IllegalStateException("moto did not accept enforcing IAM at " + endpoint);
    }
  }

  private boolean tryReset() {
    return post("/moto-api/reset", "");
  }

  private boolean post(String path, String body) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling moto's " + path, e);
    }
  }

  /** Points an AWS SDK client builder at this server, in {@code us-east-1}, with test keys. */
  public <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
    return builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)));
  }

  @Override
  public void close() {
    process.close();
  }
}

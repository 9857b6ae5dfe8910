package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.AwsProxy.Fault;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The fault-injecting proxy answers as AWS does: the real SDK clients of each protocol (JSON,
 * query, EC2's, S3's REST-XML, REST-JSON) read its throttling as throttling, its 500 and 503 as the
 * service's errors, and its dropped and silent calls as the client's I/O errors; with no fault the
 * call goes through to moto. Without this, a reliability scenario could pass on faults that no
 * client would take for AWS's.
 */
@JackIntegrationTest
class FaultProxyIT {

  private static AwsProxy proxy;
  private static MotoServer moto;

  @BeforeAll
  static void start(MotoServer server) {
    moto = server;
    proxy = AwsProxy.start(server.endpoint());
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void eachProtocolsThrottlingIsThrottlingForItsSdkClient() {
    assertThrottled(client(SqsClient.builder()), sqs -> sqs.listQueues(), 400, "sqs");
    assertThrottled(client(SnsClient.builder()), sns -> sns.listTopics(), 400, "sns");
    assertThrottled(client(Ec2Client.builder()), ec2 -> ec2.describeVpcs(), 503, "ec2");
    assertThrottled(
        configured(S3Client.builder()).forcePathStyle(true).build(),
        s3 -> s3.listBuckets(),
        503,
        "s3");
    assertThrottled(
        client(LambdaClient.builder()), lambda -> lambda.listFunctions(), 429, "lambda");
  }

  @Test
  void serverErrorsAreTheServices() {
    for (Fault fault : new Fault[] {Fault.INTERNAL_ERROR, Fault.UNAVAILABLE}) {
      int status = fault == Fault.INTERNAL_ERROR ? 500 : 503;
      AwsProxy.FaultRule rule = proxy.inject(call -> "sqs".equals(call.service()), 1.0, fault);
      try (SqsClient sqs = client(SqsClient.builder())) {
        Throwable thrown = catchThrowable(sqs::listQueues);
        assertThat(thrown).isInstanceOf(AwsServiceException.class);
        AwsServiceException error = (AwsServiceException) thrown;
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.isThrottlingException()).isFalse();
        assertThat(error.awsErrorDetails().errorCode())
            .isEqualTo(fault == Fault.INTERNAL_ERROR ? "InternalFailure" : "ServiceUnavailable");
      } finally {
        rule.stop();
      }
      assertThat(rule.injected()).isEqualTo(1);
    }
  }

  @Test
  void droppedAndSilentCallsAreTheClientsIoErrors() {
    AwsProxy.FaultRule reset = proxy.inject(call -> "sns".equals(call.service()), 1.0, Fault.RESET);
    try (SnsClient sns = client(SnsClient.builder())) {
      assertThat(catchThrowable(sns::listTopics)).isInstanceOf(SdkClientException.class);
    } finally {
      reset.stop();
    }
    AwsProxy.FaultRule silent =
        proxy.inject(
            call -> "sns".equals(call.service()), 1.0, Fault.TIMEOUT, Duration.ofSeconds(3));
    try (SnsClient sns =
        moto.configure(SnsClient.builder())
            .endpointOverride(proxy.endpoint())
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(1)))
            .build()) {
      long start = System.nanoTime();
      assertThat(catchThrowable(sns::listTopics)).isInstanceOf(SdkClientException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } finally {
      silent.stop();
    }
    assertThat(reset.injected()).isEqualTo(1);
    assertThat(silent.injected()).isEqualTo(1);
  }

  @Test
  void withoutFaultsAndAtLatencyTheCallReachesTheEndpoint() {
    AwsProxy.FaultRule slow =
        proxy.inject(
            call -> "sqs".equals(call.service()), 1.0, Fault.LATENCY, Duration.ofMillis(300));
    try (SqsClient sqs = client(SqsClient.builder())) {
      long start = System.nanoTime();
      assertThat(sqs.listQueues().sdkHttpResponse().statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      slow.stop();
      assertThat(sqs.listQueues().sdkHttpResponse().statusCode()).isEqualTo(200);
    }
    assertThat(slow.injected()).isEqualTo(1);
  }

  @Test
  void aProbabilityFaultsAboutThatShareOfTheCalls() {
    AwsProxy.FaultRule some =
        proxy.inject(call -> "sqs".equals(call.service()), 0.2, Fault.UNAVAILABLE);
    int failed = 0;
    try (SqsClient sqs = client(SqsClient.builder())) {
      for (int i = 0; i < 200; i++) {
        try {
          sqs.listQueues();
        } catch (AwsServiceException e) {
          failed++;
        }
      }
    } finally {
      some.stop();
    }
    assertThat(some.injected()).isEqualTo(failed);
    // 200 draws at 0.2: 40 expected; outside 15..70 happens with a probability below 1e-6.
    assertThat(failed).isBetween(15, 70);
  }

  private static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
    return configured(builder).build();
  }

  private static <B extends AwsClientBuilder<B, C>, C> B configured(B builder) {
    return moto.configure(builder)
        .endpointOverride(proxy.endpoint())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
  }

  private static <C extends SdkClient> void assertThrottled(
      C client, Function<C, Object> call, int status, String service) {
    AwsProxy.FaultRule rule = proxy.inject(c -> service.equals(c.service()), 1.0, Fault.THROTTLE);
    try (client) {
      Throwable thrown = catchThrowable(() -> call.apply(client));
      assertThat(thrown).as("%s's answer", service).isInstanceOf(AwsServiceException.class);
      AwsServiceException error = (AwsServiceException) thrown;
      assertThat(error.isThrottlingException()).as("%s: %s", service, error).isTrue();
      assertThat(error.statusCode()).isEqualTo(status);
    } finally {
      rule.stop();
    }
    assertThat(rule.injected()).as("%s calls faulted", service).isEqualTo(1);
  }
}

package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.runtime.AwsErrors.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

  private static AwsServiceException aws(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @Test
  void requestsThatCanNeverWorkAreTerminal() {
    assertThat(AwsErrors.classify(aws(400, "InvalidAttributeValue", "bad value")))
        .isEqualTo(Kind.TERMINAL);
    assertThat(AwsErrors.classify(aws(400, "ValidationException", "too long")))
        .isEqualTo(Kind.TERMINAL);
    assertThat(AwsErrors.classify(aws(409, "BucketAlreadyExists", "taken")))
        .isEqualTo(Kind.TERMINAL);
    assertThat(AwsErrors.classify(new TerminalException("immutable"))).isEqualTo(Kind.TERMINAL);
  }

  @Test
  void whatCanBeFixedOutsideTheSpecIsRecoverable() {
    // A permission granted later, a dependency created later: retried with backoff.
    assertThat(AwsErrors.classify(aws(403, "AccessDenied", "no"))).isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(aws(400, "AccessDeniedException", "no")))
        .isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(aws(400, "ExpiredToken", "expired"))).isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(aws(404, "ResourceNotFoundException", "no such key")))
        .isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.describe(aws(403, "AccessDenied", "not authorized: sqs:CreateQueue")))
        .startsWith("AccessDenied: not authorized: sqs:CreateQueue. The controller's AWS identity");
  }

  @Test
  void throttlingServerErrorsAndTimingConflictsAreRecoverable() {
    assertThat(AwsErrors.classify(aws(400, "Throttling", "slow down"))).isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(aws(503, "ServiceUnavailable", "busy")))
        .isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(aws(409, "OperationAborted", "try again")))
        .isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(SdkClientException.create("connection refused")))
        .isEqualTo(Kind.RECOVERABLE);
  }

  @Test
  void anEmulatorWithoutTheOperationIsNotImplemented() {
    assertThat(
            AwsErrors.classify(
                aws(500, null, "<!doctype html><title>500 Internal Server Error</title>")))
        .isEqualTo(Kind.NOT_IMPLEMENTED);
    assertThat(AwsErrors.classify(aws(404, "", "Not Found"))).isEqualTo(Kind.NOT_IMPLEMENTED);
    assertThat(AwsErrors.classify(aws(501, "NotImplemented", "not implemented")))
        .isEqualTo(Kind.NOT_IMPLEMENTED);
    assertThat(AwsErrors.classify(aws(404, "NoSuchBucket", "gone"))).isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(aws(500, "", null))).isEqualTo(Kind.NOT_IMPLEMENTED);
  }

  @Test
  void inputTheSdkRejectsIsTerminal() {
    SdkClientException rejected =
        SdkClientException.builder()
            .message("bad name")
            .cause(new IllegalArgumentException("bad name"))
            .build();
    assertThat(AwsErrors.classify(rejected)).isEqualTo(Kind.TERMINAL);
  }

  @Test
  void aKindsOwnTerminalCodesAreTerminal() {
    AwsServiceException busy = aws(409, "ResourceInUseException", "in use");
    assertThat(AwsErrors.classify(busy)).isEqualTo(Kind.RECOVERABLE);
    assertThat(AwsErrors.classify(busy, java.util.List.of("ResourceInUseException")))
        .isEqualTo(Kind.TERMINAL);
  }

  @Test
  void theDescriptionIsTheCodeAndMessage() {
    assertThat(
            AwsErrors.describe(aws(400, "InvalidAttributeValue", "Invalid value for DelaySeconds")))
        .isEqualTo("InvalidAttributeValue: Invalid value for DelaySeconds");
  }
}

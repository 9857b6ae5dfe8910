package dev.jack.runtime;

import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Sorts failures into what the reconciler does about them. */
public final class AwsErrors {

  /** How a failure is handled. */
  public enum Kind {
    /** A retry cannot fix it: ACK.Terminal, until the spec changes. */
    TERMINAL,
    /** It may pass: ACK.Recoverable, retried with exponential backoff. */
    RECOVERABLE,
    /** The endpoint does not offer the operation: reported, retried only at the resync period. */
    NOT_IMPLEMENTED
  }

  /**
   * Codes that say the request itself is wrong, so that no retry of the same spec can succeed:
   * validation and parameter errors, and a name another resource holds.
   */
  private static boolean isInvalidRequest(String code) {
    return code.startsWith("Invalid")
        || code.startsWith("Validation")
        || code.startsWith("Malformed")
        || code.startsWith("MissingParameter")
        || code.endsWith("ValidationException")
        || code.endsWith("ValidationError")
        || code.equals("BadRequestException")
        || code.equals("SerializationException")
        || code.contains("AlreadyExists")
        || code.equals("BucketAlreadyOwnedByYou");
  }

  /** Whether AWS says the controller's AWS identity may not make the call (403, or its codes). */
  private static boolean isAccessDenied(AwsServiceException aws) {
    String code = errorCode(aws);
    return aws.statusCode() == 403
        || code.contains("AccessDenied")
        || code.equals("UnauthorizedOperation")
        || code.equals("AuthorizationError")
        || code.equals("ExpiredToken")
        || code.equals("ExpiredTokenException")
        || code.equals("UnrecognizedClientException")
        || code.equals("InvalidClientTokenId");
  }

  private AwsErrors() {}

  public static Kind classify(Throwable error) {
    return classify(error, List.of());
  }

  /** Classifies, treating the kind's own terminal error codes as terminal too. */
  public static Kind classify(Throwable error, List<String> terminalCodes) {
    if (error instanceof TerminalException || terminalCodes.contains(errorCode(error))) {
      return Kind.TERMINAL;
    }
    if (error instanceof AwsServiceException aws) {
      if (isNotImplemented(aws)) {
        return Kind.NOT_IMPLEMENTED;
      }
      String code = errorCode(aws);
      // Permissions and credentials can be fixed outside the spec: recoverable, with backoff.
      if (isAccessDenied(aws) || aws.isThrottlingException() || aws.statusCode() >= 500) {
        return Kind.RECOVERABLE;
      }
      return isInvalidRequest(code) ? Kind.TERMINAL : Kind.RECOVERABLE;
    }
    if (error instanceof SdkServiceException) {
      return Kind.RECOVERABLE;
    }
    if (error instanceof SdkClientException client) {
      // The SDK rejects some invalid input before sending it (an S3 bucket name in capitals).
      return client.getCause() instanceof IllegalArgumentException
          ? Kind.TERMINAL
          : Kind.RECOVERABLE;
    }
    if (error instanceof IllegalArgumentException) {
      return Kind.TERMINAL;
    }
    return Kind.RECOVERABLE;
  }

  /**
   * Whether a failed call certainly changed nothing in AWS: AWS refused it (a 4xx answer), the
   * endpoint lacks it, or it was never sent (input rejected before). A server error, a timeout or a
   * lost connection may follow a change that happened.
   */
  public static boolean createdNothing(Throwable error) {
    if (error instanceof AwsServiceException aws) {
      return (aws.statusCode() >= 400 && aws.statusCode() < 500) || isNotImplemented(aws);
    }
    if (error instanceof SdkClientException client) {
      return client.getCause() instanceof IllegalArgumentException;
    }
    return error instanceof TerminalException || error instanceof IllegalArgumentException;
  }

  /**
   * An emulator that lacks an operation answers with a status of 404, 500 or 501 and a body that is
   * no AWS error: HTML, or no error code at all.
   */
  static boolean isNotImplemented(AwsServiceException aws) {
    int status = aws.statusCode();
    if (status != 404 && status != 500 && status != 501) {
      return false;
    }
    String code = errorCode(aws);
    String message = aws.getMessage() == null ? "" : aws.getMessage().toLowerCase(Locale.ROOT);
    boolean saysSo =
        code.equals("NotImplemented")
            || message.contains("<!doctype")
            || message.contains("<html")
            || message.contains("not yet implemented");
    // A HEAD request never has a body: AwsApi tells its server errors apart.
    return saysSo || code.isEmpty();
  }

  public static String errorCode(Throwable error) {
    if (error instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      String code = aws.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  /**
   * Whether AWS says the resource, or the configuration asked for, does not exist: one of the
   * kind's own codes, or a code that says so by its name ({@code ResourceNotFoundException}, {@code
   * NoSuchBucketPolicy}, {@code AWS.SimpleQueueService.NonExistentQueue}, {@code
   * QueueDoesNotExist}). A kind's code may name a part of the message too, as {@code
   * ValidationException: Could not find} (SageMaker says "not found" with a validation error). An
   * emulator's answer to an operation it lacks is no such answer.
   */
  public static boolean isNotFound(Throwable error, List<String> kindCodes) {
    if (!(error instanceof AwsServiceException aws) || isNotImplemented(aws)) {
      return false;
    }
    String code = errorCode(aws);
    String message = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
    for (String kindCode : kindCodes) {
      int colon = kindCode.indexOf(": ");
      if (colon > 0
          && code.equals(kindCode.substring(0, colon))
          && message != null
          && message.contains(kindCode.substring(colon + 2))) {
        return true;
      }
    }
    return kindCodes.contains(code)
        || code.contains("NotFound")
        || code.startsWith("NoSuch")
        || code.contains("NonExistent")
        || code.endsWith("DoesNotExist");
  }

  /** The message for a condition or an event: the AWS code and message, without the request id. */
  public static String describe(Throwable error) {
    if (error instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
      String code = errorCode(aws);
      String message = aws.awsErrorDetails().errorMessage();
      if (message == null || message.isBlank()) {
        message = "HTTP " + aws.statusCode();
      }
      String text = code.isEmpty() ? message : code + ": " + message;
      if (isAccessDenied(aws)) {
        text +=
            ". The controller's AWS identity lacks the permission AWS names here (or its"
                + " credentials expired); jack retries with backoff until it has it";
      }
      return text;
    }
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}

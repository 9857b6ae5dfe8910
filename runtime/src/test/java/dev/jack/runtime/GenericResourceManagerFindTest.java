package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Find;
import dev.jack.api.descriptor.KindDescriptor.Input;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.DecodeAuthorizationMessageRequest;
import software.amazon.awssdk.services.sts.model.DecodeAuthorizationMessageResponse;
import software.amazon.awssdk.services.sts.model.GetAccessKeyInfoRequest;
import software.amazon.awssdk.services.sts.model.GetAccessKeyInfoResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The generic manager's find before the first create, on a kind made up of STS operations (the SDK
 * the runtime already depends on), against a fake STS: the read needs {@code status.accessKeyID},
 * which AWS assigns; {@code DecodeAuthorizationMessage} stands for an operation that gives it by
 * name ({@code AKIA} and the spec's message); {@code GetAccessKeyInfo} is the read, and knows the
 * key {@code AKIAknown} only.
 */
class GenericResourceManagerFindTest {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final List<String> calls = new ArrayList<>();

  private final StsClient sts =
      (StsClient)
          Proxy.newProxyInstance(
              StsClient.class.getClassLoader(),
              new Class<?>[] {StsClient.class},
              (proxy, method, args) -> {
                Object request = args == null ? null : args[0];
                if (request instanceof DecodeAuthorizationMessageRequest decode) {
                  calls.add("DecodeAuthorizationMessage " + decode.encodedMessage());
                  if (decode.encodedMessage().equals("missing")) {
                    throw notFound();
                  }
                  return DecodeAuthorizationMessageResponse.builder()
                      .decodedMessage("AKIA" + decode.encodedMessage())
                      .build();
                }
                if (request instanceof GetAccessKeyInfoRequest info) {
                  calls.add("GetAccessKeyInfo " + info.accessKeyId());
                  if (!info.accessKeyId().equals("AKIAknown")) {
                    throw notFound();
                  }
                  return GetAccessKeyInfoResponse.builder().account("123456789012").build();
                }
                throw new UnsupportedOperationException(method.getName());
              });

  private static StsException notFound() {
    return (StsException)
        StsException.builder()
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("NoSuchEntity")
                    .errorMessage("no such key")
                    .build())
            .build();
  }

  private static final FieldDescriptor ACCESS_KEY_ID = status("accessKeyID", "AccessKeyId");

  private static FieldDescriptor status(String name, String awsName) {
    return new FieldDescriptor(
        name,
        awsName,
        Origin.OUTPUT,
        "GetAccessKeyInfo",
        null,
        false,
        false,
        null,
        null,
        null,
        null,
        false,
        false,
        false,
        false);
  }

  private static KindDescriptor kind(Find find, FieldDescriptor arn) {
    return new KindDescriptor(
        "sts",
        "sts.services.k8s.aws",
        "v1alpha1",
        "AccessKey",
        "accesskeys",
        "software.amazon.awssdk.services.sts",
        new KindDescriptor.Operations("GetSessionToken", "GetAccessKeyInfo", null, null),
        null,
        null,
        List.of(),
        null,
        null,
        arn,
        null,
        List.of(
            new FieldDescriptor(
                "message",
                "EncodedMessage",
                Origin.CREATE_INPUT,
                "GetSessionToken",
                null,
                true,
                true,
                null,
                null,
                null,
                null,
                false,
                false,
                false,
                false)),
        List.of(ACCESS_KEY_ID, status("account", "Account")),
        Map.of(
            "GetAccessKeyInfo",
            Map.of("AccessKeyId", new Input("status.accessKeyID", false, null)),
            "DecodeAuthorizationMessage",
            Map.of("EncodedMessage", new Input("spec.message", false, null))),
        find,
        List.of(),
        null,
        Map.of(),
        null,
        List.of(),
        List.of(),
        Map.of(),
        List.of());
  }

  private static final Find BY_OPERATION =
      new Find(
          "DecodeAuthorizationMessage", "DecodedMessage", null, "status.accessKeyID", null, null);

  private AwsContext aws(KindDescriptor descriptor) {
    AwsApi api =
        new AwsApi(
            "sts",
            sts,
            Map.of(),
            new AdaptiveRateLimiter(),
            new ApiMetrics(new SimpleMeterRegistry()),
            AwsApi.readRetries(),
            "sts");
    return new AwsContext(
        api,
        "us-east-1",
        "123456789012",
        descriptor,
        new SdkMapper(Map.of(), SdkMapper.class.getClassLoader()),
        Map.of());
  }

  private static ResourceState named(String message) {
    ResourceState state = ResourceState.empty();
    state.spec().put("message", message);
    return state;
  }

  private Optional<ResourceState> readOne(KindDescriptor descriptor, ResourceState desired) {
    return new GenericResourceManager(descriptor).readOne(desired, aws(descriptor));
  }

  @Test
  void whatTheFindGivesIsReadAndThenIdentifiesTheResource() {
    ResourceState desired = named("known");

    Optional<ResourceState> found = readOne(kind(BY_OPERATION, null), desired);

    assertThat(calls)
        .containsExactly("DecodeAuthorizationMessage known", "GetAccessKeyInfo AKIAknown");
    assertThat(found).isPresent();
    assertThat(found.get().status().path("account").asText()).isEqualTo("123456789012");
    assertThat(found.get().status().path("accessKeyID").asText()).isEqualTo("AKIAknown");
    // The reconciler records it from here, as after a create.
    assertThat(desired.status().path("accessKeyID").asText()).isEqualTo("AKIAknown");
  }

  @Test
  void aFindThatAwsAnswersNotFoundLeavesTheResourceToBeCreated() {
    ResourceState desired = named("missing");

    assertThat(readOne(kind(BY_OPERATION, null), desired)).isEmpty();

    assertThat(calls).containsExactly("DecodeAuthorizationMessage missing");
    assertThat(desired.status().has("accessKeyID")).isFalse();
  }

  @Test
  void aTemplateMakesNoCallAndTheReadsNotFoundMeansThereIsNone() {
    KindDescriptor byTemplate =
        kind(new Find(null, null, "AKIA{spec.message}", "status.accessKeyID", null, null), null);
    ResourceState other = named("other");

    assertThat(readOne(byTemplate, other)).isEmpty();
    assertThat(calls).containsExactly("GetAccessKeyInfo AKIAother");
    assertThat(other.status().has("accessKeyID")).as("not kept when not found").isFalse();

    calls.clear();
    ResourceState known = named("known");
    assertThat(readOne(byTemplate, known)).isPresent();
    assertThat(calls).containsExactly("GetAccessKeyInfo AKIAknown");
    assertThat(known.status().path("accessKeyID").asText()).isEqualTo("AKIAknown");
  }

  @Test
  void intoTheArnAlsoFillsTheStatusFieldThatHoldsTheArn() {
    KindDescriptor descriptor =
        kind(new Find(null, null, "AKIA{spec.message}", "arn", null, null), ACCESS_KEY_ID);
    ResourceState desired = named("known");

    Optional<ResourceState> found = readOne(descriptor, desired);

    assertThat(found).isPresent();
    assertThat(found.get().arn()).isEqualTo("AKIAknown");
    assertThat(desired.arn()).isEqualTo("AKIAknown");
    assertThat(desired.status().path("accessKeyID").asText()).isEqualTo("AKIAknown");
  }

  @Test
  void aResourceWhoseIdentifierIsKnownIsReadWithoutAFind() {
    ResourceState desired = named("known");
    desired.status().set("accessKeyID", JSON.textNode("AKIAknown"));

    assertThat(readOne(kind(BY_OPERATION, null), desired)).isPresent();

    assertThat(calls).containsExactly("GetAccessKeyInfo AKIAknown");
  }

  @Test
  void existsMakesNoFind() {
    KindDescriptor descriptor = kind(BY_OPERATION, null);
    GenericResourceManager manager = new GenericResourceManager(descriptor);

    assertThat(manager.exists(named("known"), aws(descriptor))).isFalse();
    assertThat(calls).isEmpty();

    ResourceState identified = named("known");
    identified.status().set("accessKeyID", JSON.textNode("AKIAknown"));
    assertThat(manager.exists(identified, aws(descriptor))).isTrue();
    assertThat(calls).containsExactly("GetAccessKeyInfo AKIAknown");
  }

  @Test
  void aKindWithoutAFindIsNotFoundWithoutACall() {
    assertThat(readOne(kind(null, null), named("known"))).isEmpty();
    assertThat(calls).isEmpty();
  }
}

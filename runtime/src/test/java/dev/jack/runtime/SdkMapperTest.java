package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.Tag;

/** Through the STS model, which the runtime already depends on. */
class SdkMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SdkMapper mapper =
      new SdkMapper(
          Map.of(
              "Tag", Map.of("Key", "key", "Value", "value"),
              "PolicyDescriptorType", Map.of("arn", "arn")),
          SdkMapperTest.class.getClassLoader());

  @Test
  void buildsARequestFromCrdJsonByMemberName() throws Exception {
    Map<String, JsonNode> members =
        Map.of(
            "RoleArn", JSON.readTree("\"arn:aws:iam::123456789012:role/r\""),
            "DurationSeconds", JSON.readTree("\"900\""),
            "Tags", JSON.readTree("[{\"key\":\"team\",\"value\":\"a\"}]"),
            "PolicyArns", JSON.readTree("[{\"arn\":\"arn:aws:iam::aws:policy/ReadOnly\"}]"));

    AssumeRoleRequest request = mapper.build(AssumeRoleRequest.class, members);

    assertThat(request.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/r");
    assertThat(request.durationSeconds()).isEqualTo(900);
    assertThat(request.tags()).containsExactly(Tag.builder().key("team").value("a").build());
    assertThat(request.policyArns())
        .containsExactly(
            PolicyDescriptorType.builder().arn("arn:aws:iam::aws:policy/ReadOnly").build());
  }

  @Test
  void readsAnSdkObjectBackAsCrdJson() {
    AssumeRoleRequest request =
        AssumeRoleRequest.builder()
            .roleArn("arn:aws:iam::123456789012:role/r")
            .durationSeconds(900)
            .tags(Tag.builder().key("team").value("a").build())
            .build();

    Map<String, JsonNode> members = mapper.read(request);

    assertThat(members.get("RoleArn").asText()).isEqualTo("arn:aws:iam::123456789012:role/r");
    assertThat(members.get("DurationSeconds").asInt()).isEqualTo(900);
    assertThat(members.get("Tags").toString()).isEqualTo("[{\"key\":\"team\",\"value\":\"a\"}]");
    assertThat(members).doesNotContainKey("PolicyArns");
  }

  @Test
  void buildsARequestByOperationName() throws Exception {
    Object request =
        mapper.request(
            "software.amazon.awssdk.services.sts",
            "AssumeRole",
            Map.of("RoleSessionName", JSON.readTree("\"jack\"")));
    assertThat(request).isInstanceOf(AssumeRoleRequest.class);
    assertThat(((AssumeRoleRequest) request).roleSessionName()).isEqualTo("jack");
  }
}

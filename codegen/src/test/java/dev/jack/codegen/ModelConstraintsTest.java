package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.testenv.Binaries;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConstraintsTest {

  @Test
  void aPatternKeepsItsMeaningInRe2Spelling() {
    assertThat(ModelConstraints.re2("^[a-zA-Z0-9-_]+$")).isEqualTo("^[a-zA-Z0-9-_]+$");
    assertThat(ModelConstraints.re2("[\\u0020-\\u00FF]+")).isEqualTo("[\\x{0020}-\\x{00FF}]+");
    assertThat(ModelConstraints.re2("arn:aws[a-z-]*:kms:.*")).isEqualTo("arn:aws[a-z-]*:kms:.*");
  }

  @Test
  void aPatternRe2WouldReadOtherwiseIsLeftOut() {
    assertThat(ModelConstraints.re2("(?!^[0-9]+$)([a-zA-Z0-9-_]+)")).as("look-ahead").isNull();
    assertThat(ModelConstraints.re2("[a-z0-9](?<!-)")).as("look-behind").isNull();
    assertThat(ModelConstraints.re2("\\p{Print}+")).as("a POSIX class").isNull();
    assertThat(ModelConstraints.re2("[\\uD800-\\uDBFF]+")).as("surrogates").isNull();
    assertThat(ModelConstraints.re2("https://([a-z]+/?){3,1016}"))
        .as("RE2 counts to 1000")
        .isNull();
    assertThat(ModelConstraints.re2("[a-z]++")).as("possessive").isNull();
    assertThat(ModelConstraints.re2("(a)\\1")).as("a back-reference").isNull();
  }

  @Test
  void aPatternThatMatchesEveryStringIsLeftOut() {
    assertThat(ModelConstraints.re2("[\\u0009\\u000A\\u0020-\\u00FF]*")).isNull();
    assertThat(ModelConstraints.re2("^[a-z]*$")).as("anchored: it matches only some").isNotNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theModelsLengthsRangesAndSizesReachNestedFieldsOfTheirOwnType() {
    ModelDocs lambda = ModelDocs.fromBotocoreWheel(Binaries.fromEnvironment().apiDocs(), "lambda");
    ModelConstraints constraints = new ModelConstraints(lambda);

    Map<String, Object> memory = new LinkedHashMap<>(Map.of("type", "integer"));
    constraints.apply(memory, lambda.inputMemberShape("CreateFunction", "MemorySize"));
    assertThat(memory).containsEntry("minimum", 128).containsKey("maximum");

    Map<String, Object> asString = new LinkedHashMap<>(Map.of("type", "string"));
    constraints.apply(asString, lambda.inputMemberShape("CreateFunction", "MemorySize"));
    assertThat(asString).as("a number the CRD holds as a string").hasSize(1);

    Map<String, Object> subnets = new LinkedHashMap<>(Map.of("type", "string"));
    Map<String, Object> vpc =
        new LinkedHashMap<>(
            Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                    "subnetIDs", new LinkedHashMap<>(Map.of("type", "array", "items", subnets)))));
    constraints.apply(vpc, lambda.inputMemberShape("CreateFunction", "VpcConfig"));
    Map<String, Object> list =
        (Map<String, Object>) ((Map<String, Object>) vpc.get("properties")).get("subnetIDs");
    assertThat(list).containsEntry("maxItems", 16L);
    assertThat(subnets).as("the model constrains no subnet ID: nothing is made up").hasSize(1);
    assertThat(vpc).as("the object itself gains nothing").containsOnlyKeys("type", "properties");
  }
}

package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jack.api.descriptor.KindDescriptor.ReferenceDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What References does without reading any referenced resource. */
class ReferencesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final References REFERENCES =
      new References(
          TestDescriptors.kind(
              "apigatewayv2",
              "Route",
              List.of(),
              null,
              Map.of(
                  "apiID",
                  new ReferenceDescriptor(null, "API", "status.apiID", "apiRef", false, null),
                  "config.kmsKeyARN",
                  new ReferenceDescriptor(
                      "kms", "Key", "status.ackResourceMetadata.arn", "kmsKeyRef", false, null)),
              null),
          false);

  private static ObjectNode spec(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void aValueAndItsReferenceTogetherAreTerminalAndNameBoth() throws Exception {
    ObjectNode spec = spec("{'apiID':'abc','apiRef':{'from':{'name':'api'}}}");
    assertThatThrownBy(() -> REFERENCES.resolve(spec, "ns", null))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("spec.apiID and spec.apiRef are both set");
  }

  @Test
  void aSpecWithoutReferencesIsLeftAsItIs() throws Exception {
    ObjectNode spec = spec("{'apiID':'abc','routeKey':'GET /'}");
    References.Resolution resolution = REFERENCES.resolve(spec, "ns", null);
    assertThat(resolution.count()).isZero();
    assertThat(spec).isEqualTo(spec("{'apiID':'abc','routeKey':'GET /'}"));
  }

  @Test
  void recordedValuesReplaceTheirReferencesAtNestedPaths() throws Exception {
    ObjectNode spec =
        spec("{'apiRef':{'from':{'name':'api'}},'config':{'kmsKeyRef':{'from':{'name':'k'}}}}");
    REFERENCES.applyRecorded(
        spec,
        Map.of("apiID", TextNode.valueOf("abc"), "config.kmsKeyARN", TextNode.valueOf("arn:k")));
    assertThat(spec).isEqualTo(spec("{'apiID':'abc','config':{'kmsKeyARN':'arn:k'}}"));
  }
}

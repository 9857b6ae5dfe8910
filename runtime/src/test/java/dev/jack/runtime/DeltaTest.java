package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DeltaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Delta delta(String desired, String latest) {
    return Delta.between(json(desired), json(latest), null, null, null);
  }

  @Test
  void onlyFieldsTheSpecSetsAreCompared() {
    assertThat(delta("{'a':'1'}", "{'a':'1','b':'2'}").isEmpty()).isTrue();
    assertThat(delta("{'a':'1','b':null}", "{'a':'1','b':'2'}").isEmpty()).isTrue();
    assertThat(delta("{'a':'1'}", "{'a':'2'}").fields()).containsExactly("a");
    assertThat(delta("{'a':'1'}", "{}").fields()).containsExactly("a");
  }

  @Test
  void structuresCompareOnlyTheMembersSet() {
    assertThat(
            delta("{'v':{'status':'Enabled'}}", "{'v':{'status':'Enabled','mfaDelete':'Disabled'}}")
                .isEmpty())
        .isTrue();
    assertThat(delta("{'v':{'status':'Enabled'}}", "{'v':{'status':'Suspended'}}").fields())
        .containsExactly("v");
  }

  @Test
  void listsCompareElementByElement() {
    assertThat(delta("{'l':[{'id':'a'}]}", "{'l':[{'id':'a','extra':1}]}").isEmpty()).isTrue();
    assertThat(delta("{'l':[{'id':'a'}]}", "{'l':[{'id':'a'},{'id':'b'}]}").fields())
        .containsExactly("l");
  }

  @Test
  void numbersAndTheirTextAreEqual() {
    assertThat(delta("{'n':'30'}", "{'n':30}").isEmpty()).isTrue();
  }

  @Test
  void jsonDocumentsInStringsCompareAsJson() {
    assertThat(delta("{'p':'{\\'a\\': [1, 2]}'}", "{'p':'{\\'a\\':[1,2]}'}").isEmpty()).isTrue();
    assertThat(delta("{'p':'{\\'a\\': [1, 2]}'}", "{'p':'{\\'a\\':[2,1]}'}").fields())
        .containsExactly("p");
  }

  @Test
  void urlEncodedPolicyDocumentsCompareAsTheirJson() {
    // IAM's GetRole returns the trust policy URL-encoded.
    String encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
    assertThat(
            delta(
                    "{'p':'{\\'Version\\': \\'2012-10-17\\', \\'Statement\\': []}'}",
                    "{'p':'" + encoded + "'}")
                .isEmpty())
        .isTrue();
    assertThat(
            delta("{'p':'{\\'Version\\': \\'2008-10-17\\'}'}", "{'p':'" + encoded + "'}").fields())
        .containsExactly("p");
  }

  @Test
  void jsonDocumentsToleratesNumbersWrittenAsText() {
    assertThat(
            delta(
                    "{'r':'{\\'maxReceiveCount\\':\\'3\\',\\'deadLetterTargetArn\\':\\'a\\'}'}",
                    "{'r':'{\\'deadLetterTargetArn\\':\\'a\\',\\'maxReceiveCount\\':3}'}")
                .isEmpty())
        .isTrue();
  }

  @Test
  void anEmptyDesiredValueMatchesAnAbsentOne() {
    assertThat(delta("{'s':'','l':[],'o':{}}", "{}").isEmpty()).isTrue();
  }

  @Test
  void tagsAddedByOthersAreNoDifference() {
    ObjectNode desired = json("{'tags':[{'key':'team','value':'a'}]}");
    ObjectNode latest = json("{'tags':[{'key':'owner','value':'x'},{'key':'team','value':'a'}]}");
    assertThat(Delta.between(desired, latest, "tags", "key", "value").isEmpty()).isTrue();

    ObjectNode changed = json("{'tags':[{'key':'team','value':'b'}]}");
    assertThat(Delta.between(changed, latest, "tags", "key", "value").fields())
        .containsExactly("tags");
  }

  @Test
  void nestedTagSetsAreComparedAsTags() {
    ObjectNode desired = json("{'tagging':{'tagSet':[{'key':'team','value':'a'}]}}");
    ObjectNode latest =
        json("{'tagging':{'tagSet':[{'key':'x','value':'y'},{'key':'team','value':'a'}]}}");
    assertThat(Delta.between(desired, latest, "tagging.tagSet", "key", "value").isEmpty()).isTrue();
  }

  @Test
  void tagMapsAreComparedAsTags() {
    ObjectNode desired = json("{'tags':{'team':'a'}}");
    ObjectNode latest = json("{'tags':{'team':'a','services.k8s.aws/namespace':'ns'}}");
    assertThat(Delta.between(desired, latest, "tags", null, null).isEmpty()).isTrue();
  }

  @Test
  void falseThatAwsOmitsIsNoDifference() {
    assertThat(delta("{'fifoQueue':'false'}", "{}").isEmpty()).isTrue();
    assertThat(delta("{'enabled':false}", "{}").isEmpty()).isTrue();
    assertThat(delta("{'fifoQueue':'true'}", "{}").fields()).containsExactly("fifoQueue");
  }

  @Test
  void anUnorderedListIsComparedAsASet() {
    ObjectNode desired =
        json("{'attributeDefinitions':[{'attributeName':'a'},{'attributeName':'b'}]}");
    ObjectNode reversed =
        json("{'attributeDefinitions':[{'attributeName':'b'},{'attributeName':'a'}]}");
    ObjectNode other =
        json("{'attributeDefinitions':[{'attributeName':'b'},{'attributeName':'c'}]}");
    java.util.Set<String> unordered = java.util.Set.of("attributeDefinitions");
    assertThat(Delta.between(desired, reversed, null, null, null, unordered).isEmpty()).isTrue();
    assertThat(Delta.between(desired, reversed, null, null, null).fields())
        .containsExactly("attributeDefinitions");
    assertThat(Delta.between(desired, other, null, null, null, unordered).fields())
        .containsExactly("attributeDefinitions");
  }
}

package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.api.descriptor.KindDescriptor.TagFormat;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ownership rule: jack removes what it applied and the spec dropped, and nothing else. */
class ConvergenceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static FieldDescriptor field(
      String name, Origin origin, String remove, boolean unobserved) {
    return new FieldDescriptor(
        name,
        name,
        origin,
        "Op",
        null,
        false,
        false,
        "Op",
        null,
        null,
        remove,
        unobserved,
        false,
        false,
        false);
  }

  private static FieldDescriptor items(String name) {
    return new FieldDescriptor(
        name,
        "PolicyArn",
        Origin.OPERATION_INPUT,
        "Attach",
        null,
        false,
        false,
        "Attach",
        null,
        "List.Items.PolicyArn",
        "Detach",
        false,
        false,
        true,
        false);
  }

  private static final Convergence KIND =
      new Convergence(
          TestDescriptors.kind(
              "ecr",
              "Repository",
              List.of(
                  field("name", Origin.CREATE_INPUT, null, false),
                  field("lifecyclePolicy", Origin.OPERATION_INPUT, "DeleteLifecyclePolicy", false),
                  field("password", Origin.CREATE_INPUT, null, true),
                  field("tags", Origin.CREATE_INPUT, null, false),
                  items("policies")),
              null,
              Map.of(),
              new TagsDescriptor(
                  "tags",
                  TagFormat.MAP,
                  null,
                  null,
                  "Tag.Tags",
                  "Untag.Keys",
                  "List.Tags",
                  false,
                  null,
                  null)));

  private static ResourceState state(String spec, Ownership owned) throws Exception {
    ResourceState state =
        new ResourceState(
            (ObjectNode) JSON.readTree(spec.replace('\'', '"')), JSON.createObjectNode(), null);
    state.setOwned(owned);
    return state;
  }

  private static Ownership owned(
      Set<String> fields, Set<String> tags, Map<String, String> digests) {
    return new Ownership(fields, tags, digests, Map.of(), Map.of());
  }

  @Test
  void aTagJackAppliedAndTheSpecDropsIsADifferenceAForeignOneIsNot() throws Exception {
    ResourceState desired =
        state("{'tags':{'team':'a'}}", owned(Set.of(), Set.of("team", "old"), Map.of()));
    ResourceState withOld = state("{'tags':{'team':'a','old':'x'}}", Ownership.NONE);
    ResourceState withForeign = state("{'tags':{'team':'a','cost':'1'}}", Ownership.NONE);
    assertThat(KIND.delta(desired, withOld).fields()).containsExactly("tags");
    assertThat(KIND.delta(desired, withForeign).isEmpty()).isTrue();
  }

  @Test
  void aConfigurationJackAppliedAndTheSpecDropsIsRemovedOnlyIfAwsStillHasIt() throws Exception {
    ResourceState desired =
        state("{'name':'r'}", owned(Set.of("lifecyclePolicy"), Set.of(), Map.of()));
    assertThat(
            KIND.delta(desired, state("{'name':'r','lifecyclePolicy':'{}'}", Ownership.NONE))
                .fields())
        .containsExactly("lifecyclePolicy");
    assertThat(KIND.delta(desired, state("{'name':'r'}", Ownership.NONE)).isEmpty()).isTrue();
    ResourceState neverApplied = state("{'name':'r'}", Ownership.NONE);
    assertThat(
            KIND.delta(neverApplied, state("{'name':'r','lifecyclePolicy':'{}'}", Ownership.NONE))
                .isEmpty())
        .as("a configuration set by someone else stays")
        .isTrue();
  }

  @Test
  void aValueAwsNeverReturnsIsComparedWithWhatJackAppliedLast() throws Exception {
    ResourceState applied = state("{'password':'one'}", Ownership.NONE);
    Ownership record = KIND.applied(applied);
    ResourceState same = state("{'password':'one'}", record);
    ResourceState changed = state("{'password':'two'}", record);
    ResourceState unknown = state("{'password':'two'}", Ownership.NONE);
    ResourceState latest = state("{}", Ownership.NONE);
    assertThat(KIND.delta(same, latest).isEmpty()).isTrue();
    assertThat(KIND.delta(changed, latest).fields()).containsExactly("password");
    assertThat(KIND.delta(unknown, latest).isEmpty())
        .as("without a record (a resource jack found), the value is taken as applied")
        .isTrue();
    assertThat(record.unobserved().get("password")).doesNotContain("one");
  }

  @Test
  void aCreateOwnsTheTagsOnlyWhereItTakesThem() throws Exception {
    ResourceState desired = state("{'name':'r','tags':{'team':'a'}}", Ownership.NONE);
    assertThat(KIND.appliedByCreate(desired).tags()).containsExactly("team");
    assertThat(KIND.applied(desired).fields()).contains("name", "tags");
  }

  @Test
  void aSetOfItemsNeedsWhatTheSpecListsAndLosesOnlyWhatJackAdded() throws Exception {
    Ownership addedA =
        new Ownership(
            Set.of("policies"), Set.of(), Map.of(), Map.of(), Map.of("policies", Set.of("a")));
    ResourceState wantsA = state("{'policies':['a']}", addedA);
    ResourceState wantsNone = state("{'policies':[]}", addedA);
    assertThat(KIND.delta(wantsA, state("{'policies':['a','foreign']}", Ownership.NONE)).isEmpty())
        .as("an item others added is no difference")
        .isTrue();
    assertThat(KIND.delta(wantsA, state("{'policies':['foreign']}", Ownership.NONE)).fields())
        .containsExactly("policies");
    assertThat(
            KIND.delta(wantsNone, state("{'policies':['a','foreign']}", Ownership.NONE)).fields())
        .as("jack added a, the spec dropped it")
        .containsExactly("policies");
    assertThat(KIND.delta(wantsNone, state("{'policies':['foreign']}", Ownership.NONE)).isEmpty())
        .isTrue();
    assertThat(KIND.applied(wantsA).items()).containsEntry("policies", Set.of("a"));
  }
}

package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How secret references become the values AWS gets, without a Kubernetes API server. */
class SecretsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static FieldDescriptor field(String name, boolean secret) {
    return new FieldDescriptor(
        name,
        name,
        Origin.CREATE_INPUT,
        "Create",
        null,
        false,
        false,
        "Modify",
        null,
        null,
        null,
        secret,
        false,
        false,
        secret);
  }

  private static final List<FieldDescriptor> FIELDS =
      List.of(
          field("masterUsername", false),
          field("masterUserPassword", true),
          field("users", true),
          field("passwords", true));

  private static final KindDescriptor KIND =
      new KindDescriptor(
          "rds",
          "rds.services.k8s.aws",
          "v1alpha1",
          "DBInstance",
          "dbinstances",
          "software.amazon.awssdk.services.rds",
          new KindDescriptor.Operations("Create", "Describe", "Modify", "Delete"),
          null,
          null,
          List.of(),
          null,
          null,
          null,
          null,
          FIELDS,
          List.of(),
          Map.of(),
          null,
          List.of(),
          null,
          Map.of(),
          null,
          List.of(),
          List.of(),
          Map.of(),
          List.of("masterUserPassword", "passwords[]", "users[].password"));

  private static final Secrets SECRETS = new Secrets(KIND, false);

  /** Secrets by namespace/name; counts the reads. */
  private final Map<String, Secrets.Found> store = new HashMap<>();

  private final List<String> reads = new ArrayList<>();

  private final Secrets.Reader reader =
      (namespace, name) -> {
        reads.add(namespace + "/" + name);
        return store.get(namespace + "/" + name);
      };

  private static ObjectNode spec(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void theValuesReplaceTheReferencesInACopyAndTheSpecKeepsItsReferences() throws Exception {
    store.put("apps/db", new Secrets.Found("41", Map.of("password", "s3cret-one")));
    store.put("other/mq", new Secrets.Found("7", Map.of("admin", "s3cret-two", "app", "s3cret-3")));
    String text =
        "{'masterUsername':'admin','masterUserPassword':{'name':'db','key':'password'},"
            + "'users':[{'username':'admin','password':{'name':'mq','namespace':'other','key':"
            + "'admin'}},{'username':'guest'},{'username':'app','password':{'name':'mq',"
            + "'namespace':'other','key':'app'}}],"
            + "'passwords':[{'name':'db','key':'password'}]}";
    ObjectNode spec = spec(text);

    // A Secret of another namespace needs --enable-cross-namespace.
    assertThatThrownBy(() -> SECRETS.resolve(spec, "apps", reader))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("spec.users[0].password names a Secret of namespace other")
        .hasMessageContaining("--enable-cross-namespace=true");
    reads.clear();
    Secrets.Resolution resolution = new Secrets(KIND, true).resolve(spec, "apps", reader);

    assertThat(spec).isEqualTo(spec(text));
    assertThat(resolution.values().get("masterUserPassword").asText()).isEqualTo("s3cret-one");
    assertThat(resolution.values().get("users"))
        .isEqualTo(
            JSON.readTree(
                "[{\"username\":\"admin\",\"password\":\"s3cret-two\"},{\"username\":\"guest\"},"
                    + "{\"username\":\"app\",\"password\":\"s3cret-3\"}]"));
    assertThat(resolution.values().get("passwords")).isEqualTo(JSON.readTree("[\"s3cret-one\"]"));
    assertThat(resolution.values()).doesNotContainKey("masterUsername");
    assertThat(resolution.versions())
        .containsEntry("masterUserPassword", List.of("apps/db@41"))
        .containsEntry("users", List.of("other/mq@7"))
        .containsEntry("passwords", List.of("apps/db@41"));
    // Each Secret is read once, however many references name it.
    assertThat(reads).containsExactlyInAnyOrder("apps/db", "other/mq");
    assertThat(resolution.texts())
        .containsExactlyInAnyOrder("s3cret-one", "s3cret-two", "s3cret-3");
  }

  @Test
  void whatIsSentIsTheValueWhereTheSpecHasAReference() throws Exception {
    store.put("apps/db", new Secrets.Found("1", Map.of("password", "s3cret-one")));
    ResourceState desired =
        new ResourceState(
            spec("{'masterUsername':'admin','masterUserPassword':{'name':'db','key':'password'}}"),
            JSON.createObjectNode(),
            null);
    desired.setSecrets(SECRETS.resolve(desired.spec(), "apps", reader));

    assertThat(desired.sent("masterUserPassword").asText()).isEqualTo("s3cret-one");
    assertThat(desired.sent("masterUsername").asText()).isEqualTo("admin");
    assertThat(desired.spec().toString()).doesNotContain("s3cret");
    assertThat(desired.copy().sent("masterUserPassword").asText()).isEqualTo("s3cret-one");
  }

  @Test
  void unsetSecretFieldsReadNothing() throws Exception {
    Secrets.Resolution resolution =
        SECRETS.resolve(
            spec("{'masterUsername':'admin','users':[{'username':'a'}]}"), "apps", reader);
    assertThat(reads).isEmpty();
    assertThat(resolution.texts()).isEmpty();
  }

  @Test
  void aMissingSecretOrKeyWaitsAndNamesThemButNoValue() throws Exception {
    ObjectNode spec = spec("{'masterUserPassword':{'name':'db','key':'password'}}");
    assertThatThrownBy(() -> SECRETS.resolve(spec, "apps", reader))
        .isInstanceOf(Secrets.Missing.class)
        .hasMessageContaining("Secret apps/db")
        .hasMessageContaining("spec.masterUserPassword")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("password");

    store.put("apps/db", new Secrets.Found("3", Map.of("other", "s3cret-other")));
    assertThatThrownBy(() -> SECRETS.resolve(spec, "apps", reader))
        .isInstanceOf(Secrets.Missing.class)
        .hasMessageContaining("key password in the Secret apps/db")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void aReferenceWithoutANameIsTerminal() throws Exception {
    ObjectNode spec = spec("{'users':[{'username':'a','password':{'key':'password'}}]}");
    assertThatThrownBy(() -> SECRETS.resolve(spec, "apps", reader))
        .isInstanceOf(TerminalException.class)
        .hasMessageContaining("spec.users[0].password must name a Secret");
  }

  @Test
  void noToStringShowsAValue() throws Exception {
    Secrets.Found found = new Secrets.Found("9", Map.of("password", "s3cret-one"));
    store.put("apps/db", found);
    Secrets.Resolution resolution =
        SECRETS.resolve(
            spec("{'masterUserPassword':{'name':'db','key':'password'}}"), "apps", reader);
    assertThat(found.toString()).contains("password").doesNotContain("s3cret");
    assertThat(resolution.toString()).contains("masterUserPassword").doesNotContain("s3cret");
  }

  @Test
  void theRecordedDigestFollowsTheSecretsVersionNotItsValue() throws Exception {
    Convergence convergence = new Convergence(KIND);
    ObjectNode spec = spec("{'masterUserPassword':{'name':'db','key':'password'}}");
    store.put("apps/db", new Secrets.Found("10", Map.of("password", "s3cret-one")));
    ResourceState applied = new ResourceState(spec.deepCopy(), JSON.createObjectNode(), null);
    applied.setSecrets(SECRETS.resolve(applied.spec(), "apps", reader));
    Ownership owned = convergence.applied(applied);
    String digest = owned.unobserved().get("masterUserPassword");
    assertThat(digest).isNotBlank();
    assertThat(owned.serialize()).doesNotContain("s3cret");
    assertThat(digest)
        .isNotEqualTo(Ownership.digest(JSON.getNodeFactory().textNode("s3cret-one")))
        .isNotEqualTo(Ownership.digest(spec.get("masterUserPassword")));

    ResourceState latest =
        new ResourceState(JSON.createObjectNode(), JSON.createObjectNode(), null);
    // The same Secret version: nothing to do.
    ResourceState again = new ResourceState(spec.deepCopy(), JSON.createObjectNode(), null);
    again.setOwned(owned);
    again.setSecrets(SECRETS.resolve(again.spec(), "apps", reader));
    assertThat(convergence.delta(again, latest).fields()).isEmpty();

    // A new value in the Secret is a new version of it: an update.
    store.put("apps/db", new Secrets.Found("11", Map.of("password", "s3cret-two")));
    ResourceState rotated = new ResourceState(spec.deepCopy(), JSON.createObjectNode(), null);
    rotated.setOwned(owned);
    rotated.setSecrets(SECRETS.resolve(rotated.spec(), "apps", reader));
    assertThat(convergence.delta(rotated, latest).fields()).containsExactly("masterUserPassword");

    // Secrets jack did not read (read-only) show no change.
    ResourceState unread = new ResourceState(spec.deepCopy(), JSON.createObjectNode(), null);
    unread.setOwned(owned);
    assertThat(convergence.delta(unread, latest).fields()).isEmpty();
  }

  @Test
  void redactionReplacesEveryValue() {
    assertThat(
            Secrets.redact(
                "bad password s3cret-one or s3cret-two", List.of("s3cret-one", "s3cret-two")))
        .isEqualTo("bad password *** or ***");
    assertThat(Secrets.redact(null, List.of("x"))).isNull();
  }
}

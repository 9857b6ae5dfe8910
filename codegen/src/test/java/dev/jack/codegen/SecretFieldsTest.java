package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fields configured {@code secret}: ACK's SecretKeyReference in the CRD, {@code
 * dev.jack.api.SecretKeyReference} in Java, secret and unobserved in the descriptor; top-level, in
 * lists and nested in structures, against the real SDK models.
 */
class SecretFieldsTest {

  /** A kind of a service's own configuration, with {@code edit} applied to its text. */
  private static Resolved kind(
      String service, String kind, java.util.function.UnaryOperator<String> edit) {
    try {
      String yaml =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("..", "services", service, "generator.yaml"));
      ServiceConfig config = ServiceConfig.parse(service, edit.apply(yaml));
      SdkModel model = new SdkModel(config.service(), config.effectiveSdkPackage());
      return new Resolved(
          config,
          model,
          new KindResolver(config, model, ModelDocs.NONE)
              .resolve(kind, config.resources().get(kind)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Resolved kind(String service, String kind) {
    return kind(service, kind, yaml -> yaml);
  }

  private static final String BROKER =
      """
      service: mq
      resources:
        Broker:
          operations: {create: CreateBroker}
          fields:
            BrokerName: {rename: name}
            Users.Password: {secret: true}
      """;

  private record Resolved(ServiceConfig config, SdkModel model, KindModel kind) {}

  private static KindModel resolve(String yaml) {
    ServiceConfig config = ServiceConfig.parse("test", yaml);
    SdkModel model = new SdkModel(config.service(), config.effectiveSdkPackage());
    var entry = config.resources().entrySet().iterator().next();
    return new KindResolver(config, model, ModelDocs.NONE)
        .resolve(entry.getKey(), entry.getValue());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Map<String, Object> node, String... path) {
    Map<String, Object> current = node;
    for (String step : path) {
      current = (Map<String, Object>) current.get(step);
      assertThat(current).as(String.join(".", path) + " at " + step).isNotNull();
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> specProperties(KindModel kind) {
    Map<String, Object> crd = new CrdWriter(ModelDocs.NONE).crd(kind);
    Map<String, Object> version =
        ((List<Map<String, Object>>) at(crd, "spec").get("versions")).get(0);
    return at(version, "schema", "openAPIV3Schema", "properties", "spec", "properties");
  }

  private static void assertSecretKeyReference(Map<String, Object> schema) {
    assertThat(schema)
        .containsEntry("type", "object")
        .containsEntry("x-kubernetes-map-type", "atomic")
        .containsEntry("required", List.of("key"));
    assertThat(at(schema, "properties")).containsOnlyKeys("key", "name", "namespace");
    assertThat(at(schema, "properties", "key")).containsEntry("type", "string");
    assertThat(at(schema, "properties", "name")).containsEntry("type", "string");
    assertThat(at(schema, "properties", "namespace")).containsEntry("type", "string");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTopLevelSecretIsASecretKeyReferenceInCrdJavaAndDescriptor() {
    Resolved instance = kind("rds", "DBInstance");
    assertThat(instance.kind().secrets()).containsExactly("masterUserPassword");
    assertSecretKeyReference(
        (Map<String, Object>) specProperties(instance.kind()).get("masterUserPassword"));

    Map<String, String> java = new JavaWriter("rds").write(List.of(instance.kind()));
    assertThat(java.get("DBInstanceSpec.java"))
        .contains("import dev.jack.api.SecretKeyReference;")
        .contains("private SecretKeyReference masterUserPassword;")
        .contains("private String masterUsername;");

    KindDescriptor descriptor = descriptor(instance);
    assertThat(descriptor.secrets()).containsExactly("masterUserPassword");
    FieldDescriptor password = spec(descriptor, "masterUserPassword");
    assertThat(password.secret()).isTrue();
    assertThat(password.unobserved()).isTrue();
    assertThat(password.update()).isEqualTo("ModifyDbInstance");
    assertThat(spec(descriptor, "masterUsername").secret()).isFalse();
    // Other fields are written as before: no "secret": false.
    assertThat(DescriptorWriter.json(descriptor))
        .containsOnlyOnce("\"secret\" : true")
        .doesNotContain("\"secret\" : false");
  }

  @Test
  void aSecretNestedInAListOfStructuresTypesOnlyThatMember() {
    Resolved broker = kind("mq", "Broker");
    assertThat(broker.kind().secrets()).containsExactly("users[].password");
    Map<String, Object> user = at(specProperties(broker.kind()), "users", "items");
    assertSecretKeyReference(at(user, "properties", "password"));
    assertThat(at(user, "properties", "username")).containsEntry("type", "string");

    Map<String, String> java = new JavaWriter("mq").write(List.of(broker.kind()));
    assertThat(java.get("User.java"))
        .contains("private SecretKeyReference password;")
        .contains("private String username;");
    assertThat(java.get("BrokerSpec.java")).contains("private List<User> users;");

    KindDescriptor descriptor = descriptor(broker);
    assertThat(descriptor.secrets()).containsExactly("users[].password");
    assertThat(spec(descriptor, "users").secret()).isTrue();
    assertThat(spec(descriptor, "users").immutable()).isTrue();
  }

  @Test
  void aListOfSecretsIsAListOfSecretKeyReferencesAtTopLevelAndNested() {
    Resolved user = kind("elasticache", "User");
    assertThat(user.kind().secrets())
        .containsExactly("authenticationMode.passwords[]", "passwords[]");
    Map<String, Object> spec = specProperties(user.kind());
    assertThat(at(spec, "passwords")).containsEntry("type", "array");
    assertSecretKeyReference(at(spec, "passwords", "items"));
    assertSecretKeyReference(at(spec, "authenticationMode", "properties", "passwords", "items"));
    assertThat(at(spec, "authenticationMode", "properties", "type"))
        .containsEntry("type", "string");

    Map<String, String> java = new JavaWriter("elasticache").write(List.of(user.kind()));
    assertThat(java.get("UserSpec.java")).contains("private List<SecretKeyReference> passwords;");
    assertThat(java.get("AuthenticationMode.java"))
        .contains("private List<SecretKeyReference> passwords;")
        .contains("import dev.jack.api.SecretKeyReference;");

    KindDescriptor descriptor = descriptor(user);
    assertThat(spec(descriptor, "passwords").secret()).isTrue();
    assertThat(spec(descriptor, "authenticationMode").secret()).isTrue();
    assertThat(spec(descriptor, "authenticationMode").unobserved()).isTrue();
    assertThat(spec(descriptor, "userID").secret()).isFalse();
  }

  @Test
  void aKindWithoutSecretsWritesNoSecretsInItsDescriptor() {
    Resolved instance =
        kind("rds", "DBInstance", yaml -> yaml.replace("MasterUserPassword: {secret: true}", ""));
    assertThat(instance.kind().secrets()).isEmpty();
    assertThat(DescriptorWriter.json(descriptor(instance)))
        .doesNotContain("\"secret\" :", "\"secrets\" :");
    assertThat(specProperties(instance.kind()).get("masterUserPassword"))
        .isEqualTo(Map.of("type", "string"));
  }

  @Test
  void aSecretMustBeAStringOrAListOfStrings() {
    assertThatThrownBy(() -> resolve(BROKER.replace("Users.Password:", "Users.ConsoleAccess:")))
        .hasMessageContaining("mq Broker")
        .hasMessageContaining("must be a string or a list of strings");
    assertThatThrownBy(() -> resolve(BROKER.replace("Users.Password:", "Users:")))
        .hasMessageContaining("must be a string or a list of strings");
  }

  @Test
  void aNestedMemberMayOnlySaySecretAndMustExist() {
    assertThatThrownBy(
            () ->
                resolve(
                    BROKER.replace(
                        "Users.Password: {secret: true}",
                        "Users.Password: {secret: true, immutable: true}")))
        .hasMessageContaining("Users.Password is a nested member: it may only say secret");
    assertThatThrownBy(() -> resolve(BROKER.replace("Users.Password:", "Users.Passwrd:")))
        .hasMessageContaining("User has no member Passwrd");
    assertThatThrownBy(
            () ->
                resolve(
                    BROKER.replace(
                        "Users.Password: {secret: true}", "Users.Password: {immutable: true}")))
        .hasMessageContaining("Users.Password");
  }

  /** Every kind of every service, as the generator resolves them: what references point at. */
  private static Map<String, KindModel> everyKind;

  private static synchronized KindModel anyKind(String serviceAndKind) {
    if (everyKind == null) {
      everyKind = new java.util.HashMap<>();
      try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("..", "services"))) {
        for (java.nio.file.Path file :
            dirs.map(d -> d.resolve("generator.yaml"))
                .filter(java.nio.file.Files::isRegularFile)
                .toList()) {
          ServiceConfig config = ServiceConfig.read(file);
          KindResolver resolver =
              new KindResolver(
                  config,
                  new SdkModel(config.service(), config.effectiveSdkPackage()),
                  ModelDocs.NONE);
          config
              .resources()
              .forEach((k, r) -> everyKind.put(config.service() + "/" + k, resolver.resolve(k, r)));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return everyKind.get(serviceAndKind);
  }

  private static KindDescriptor descriptor(Resolved resolved) {
    CallPlanner.Plan plan =
        new CallPlanner(resolved.config(), resolved.model(), ModelDocs.NONE).plan(resolved.kind());
    return DescriptorWriter.descriptor(
        resolved.kind(),
        resolved.config().effectiveSdkPackage(),
        plan,
        null,
        List.of(),
        SecretFieldsTest::anyKind);
  }

  private static FieldDescriptor spec(KindDescriptor descriptor, String name) {
    return descriptor.spec().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no spec field " + name));
  }
}

package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.jack.api.AckCondition;
import dev.jack.api.SecretKeyReference;
import dev.jack.runtime.AwsResourceReconciler;
import dev.jack.services.mq.v1alpha1.Broker;
import dev.jack.services.mq.v1alpha1.BrokerSpec;
import dev.jack.services.mq.v1alpha1.User;
import dev.jack.services.rds.v1alpha1.DBInstance;
import dev.jack.services.rds.v1alpha1.DBInstanceSpec;
import dev.jack.testenv.AwsProxy;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Fields typed as ACK's SecretKeyReference, against moto through a recording proxy: AWS gets the
 * Secret's value, and nothing else does (the resource, its status and annotations, the events, the
 * metrics and the controller's log, at trace level, are scanned for it). A missing Secret waits as
 * ACK.Recoverable naming it, with no create; creating it heals; a new value in the Secret is sent
 * with the next sync, and an unchanged one is not sent again. A call that fails with an error that
 * echoes the value is reported with the value redacted; the controller's AWS secret key is scanned
 * for as well.
 */
@JackIntegrationTest
class SecretsIT {

  /** The loggers of the controller's process that --log-level trace makes verbose. */
  private static final List<String> LOGGERS =
      List.of("dev.jack", "software.amazon.awssdk", "io.javaoperatorsdk");

  /** The controller's AWS secret key: never in a log, an event, a status or a metric. */
  private static final String SECRET_ACCESS_KEY =
      "jack-secret-key-" + UUID.randomUUID().toString().replace("-", "");

  private static AwsProxy proxy;
  private static RunningController controller;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static final List<Level> LEVELS = new ArrayList<>();

  @BeforeAll
  static void start(KubeApiServer kube, MotoServer moto) {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    LOG.setContext(logging);
    LOG.start();
    for (String name : LOGGERS) {
      Logger logger = logging.getLogger(name);
      LEVELS.add(logger.getLevel());
      logger.setLevel(Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(LOG);
    }
    // As the packaged controller holds it, whatever --log-level says.
    dev.jack.controller.Main.keepSecretsOutOfTheSdksLog();
    proxy = AwsProxy.start(moto.endpoint());
    // Credentials of the test's own, distinct enough to be searched for.
    controller =
        RunningController.start(
            kube,
            proxy.endpoint(),
            java.time.Duration.ofHours(10),
            null,
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    "AKIAJACKSECRETSIT", SECRET_ACCESS_KEY)));
  }

  @AfterAll
  static void stop() {
    Resources.closeAll(controller, proxy);
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (int i = 0; i < LOGGERS.size(); i++) {
      Logger logger = logging.getLogger(LOGGERS.get(i));
      logger.detachAppender(LOG);
      logger.setAdditive(true);
      logger.setLevel(LEVELS.get(i));
    }
    logging.getLogger("software.amazon.awssdk.retries").setLevel(null);
    LOG.stop();
  }

  @Test
  void aDbInstancePasswordComesFromItsSecretWaitsForItAndFollowsItsRotation(
      KubernetesClient client, TestNamespace ns) {
    String first = "JackDb-" + UUID.randomUUID().toString().replace("-", "");
    String second = "JackDb-" + UUID.randomUUID().toString().replace("-", "");
    String identifier = "jack-secret-db-" + UUID.randomUUID().toString().substring(0, 8);
    Resources<DBInstance, DBInstanceSpec> instances =
        new Resources<>(client, ns, DBInstance.class, DBInstance::new, DBInstanceSpec::new);

    instances.create(
        "db",
        spec -> {
          spec.setDbInstanceIdentifier(identifier);
          spec.setDbInstanceClass("db.t3.micro");
          spec.setEngine("postgres");
          spec.setAllocatedStorage(20L);
          spec.setMasterUsername("appadmin");
          spec.setMasterUserPassword(new SecretKeyReference("db-credentials", "password"));
        });

    // No Secret yet: the resource waits, recoverable, naming the Secret and key; AWS gets nothing.
    GenericKubernetesResource waiting = instances.waitFor("db", AckCondition.RECOVERABLE, "True");
    assertThat(Resources.conditionMessage(waiting, AckCondition.RECOVERABLE))
        .contains("Secret " + ns.name() + "/db-credentials")
        .contains("password");
    assertThat(Resources.conditionMessage(waiting, AckCondition.RESOURCE_SYNCED))
        .contains("db-credentials");
    assertThat(proxy.count(call -> call.operation().equals("CreateDBInstance"))).isZero();

    // The Secret appears: the next look (with backoff) creates the instance with its value.
    client
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db-credentials")
                .endMetadata()
                .withData(Map.of("password", base64(first)))
                .build())
        .create();
    instances.waitFor("db", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(instances.get("db").getStatus().getConditions())
        .noneMatch(c -> c.getType().equals(AckCondition.RECOVERABLE));
    assertThat(carrying(first)).containsExactly("CreateDBInstance");
    assertThat(body("CreateDBInstance", identifier))
        .contains("MasterUserPassword=" + first)
        .contains("MasterUsername=appadmin");

    // A drift check with the Secret unchanged sends no password again.
    long modifies = proxy.count(call -> call.operation().equals("ModifyDBInstance"));
    refresh(instances, "1");
    assertThat(proxy.count(call -> call.operation().equals("ModifyDBInstance")))
        .isEqualTo(modifies);

    // A new value in the Secret: the next sync sends it, in an update.
    client
        .secrets()
        .inNamespace(ns.name())
        .withName("db-credentials")
        .edit(s -> new SecretBuilder(s).withData(Map.of("password", base64(second))).build());
    refresh(instances, "2");
    await("the rotated password in a ModifyDBInstance call")
        .atMost(Resources.TIMEOUT)
        .until(() -> carrying(second).contains("ModifyDBInstance"));
    instances.waitFor("db", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(carrying(second)).containsExactly("ModifyDBInstance");
    assertThat(body("ModifyDBInstance", identifier)).contains("MasterUserPassword=" + second);

    // Nothing but the calls to AWS holds either value.
    assertNowhereElse(client, ns, instances.get("db"), first, second, SECRET_ACCESS_KEY);
    assertThat(Serialization.asJson(instances.get("db")))
        .contains("\"name\":\"db-credentials\"")
        .contains(AwsResourceReconciler.REFRESH_ANNOTATION);

    instances.deleteAndWait("db");
  }

  @Test
  void aBrokerUsersPasswordsComeFromSecretsInsideTheirList(
      KubernetesClient client, TestNamespace ns) {
    String password = "JackMq-" + UUID.randomUUID().toString().replace("-", "");
    createSecret(client, ns, "broker-users", "admin", password);
    String name = "jack-secret-mq-" + UUID.randomUUID().toString().substring(0, 8);
    Resources<Broker, BrokerSpec> brokers =
        new Resources<>(client, ns, Broker.class, Broker::new, BrokerSpec::new);
    brokers.create(
        "broker",
        spec -> {
          spec.setName(name);
          spec.setDeploymentMode("SINGLE_INSTANCE");
          spec.setEngineType("RABBITMQ");
          spec.setEngineVersion("3.13");
          spec.setHostInstanceType("mq.m5.large");
          spec.setPubliclyAccessible(false);
          User admin = new User();
          admin.setUsername("admin");
          admin.setPassword(new SecretKeyReference("broker-users", "admin"));
          spec.setUsers(List.of(admin));
        });

    brokers.waitFor("broker", AckCondition.RESOURCE_SYNCED, "True");
    assertThat(carrying(password)).containsExactly("POST /v1/brokers");
    assertThat(body("POST /v1/brokers", name))
        .contains("\"password\":\"" + password + "\"")
        .contains("\"username\":\"admin\"");
    assertNowhereElse(client, ns, brokers.get("broker"), password, SECRET_ACCESS_KEY);

    brokers.deleteAndWait("broker");
  }

  /**
   * A create that fails on purpose, with AWS's error echoing the password (as some services' do):
   * the resource is ACK.Terminal with AWS's message, the password in it replaced by {@code ***},
   * and neither the password nor the controller's AWS secret key is anywhere but the request.
   */
  @Test
  void aFailedCallWhoseErrorEchoesThePasswordReportsItRedacted(
      KubernetesClient client, TestNamespace ns) {
    String password = "JackEcho-" + UUID.randomUUID().toString().replace("-", "");
    createSecret(client, ns, "echoed", "password", password);
    String identifier = "jack-echo-db-" + UUID.randomUUID().toString().substring(0, 8);
    proxy.answer(
        call -> call.operation().equals("CreateDBInstance") && body(call).contains(identifier),
        1,
        400,
        "text/xml",
        "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender"
            + "</Type><Code>InvalidParameterValue</Code><Message>The parameter MasterUserPassword"
            + " is not a valid password: "
            + password
            + "</Message></Error><RequestId>echo</RequestId></ErrorResponse>");
    Resources<DBInstance, DBInstanceSpec> instances =
        new Resources<>(client, ns, DBInstance.class, DBInstance::new, DBInstanceSpec::new);
    instances.create(
        "echo",
        spec -> {
          spec.setDbInstanceIdentifier(identifier);
          spec.setDbInstanceClass("db.t3.micro");
          spec.setEngine("postgres");
          spec.setAllocatedStorage(20L);
          spec.setMasterUsername("appadmin");
          spec.setMasterUserPassword(new SecretKeyReference("echoed", "password"));
        });

    GenericKubernetesResource failed = instances.waitFor("echo", AckCondition.TERMINAL, "True");
    assertThat(Resources.conditionMessage(failed, AckCondition.TERMINAL))
        .startsWith("InvalidParameterValue: ")
        .contains("is not a valid password: ***");
    assertThat(carrying(password)).containsExactly("CreateDBInstance");
    await("the event of the refused create")
        .atMost(Resources.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(Serialization.asJson(client.v1().events().inNamespace(ns.name()).list()))
                    .contains("is not a valid password: ***"));
    assertNowhereElse(client, ns, instances.get("echo"), password, SECRET_ACCESS_KEY);

    instances.deleteAndWait("echo");
  }

  private static void createSecret(
      KubernetesClient client, TestNamespace ns, String name, String key, String value) {
    client
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(Map.of(key, value))
                .build())
        .create();
  }

  private static String body(AwsProxy.Call call) {
    return new String(call.body(), StandardCharsets.UTF_8);
  }

  /** Annotates the resource to make a drift check now, and waits until its calls settle. */
  private static void refresh(Resources<?, ?> resources, String value) {
    int before = proxy.calls().size();
    resources.annotate("db", AwsResourceReconciler.REFRESH_ANNOTATION, value);
    await("a drift check")
        .atMost(Resources.TIMEOUT)
        .until(
            () ->
                proxy.calls().subList(before, proxy.calls().size()).stream()
                    .anyMatch(call -> call.operation().equals("DescribeDBInstances")));
    Resources.settled(() -> Map.of("calls", (long) proxy.calls().size()));
  }

  /** The operations whose requests held {@code value}. */
  private static Set<String> carrying(String value) {
    Set<String> operations = new TreeSet<>();
    for (AwsProxy.Call call : proxy.calls()) {
      String all =
          call.path() + " " + call.query() + " " + new String(call.body(), StandardCharsets.UTF_8);
      if (all.contains(value)) {
        operations.add(call.operation());
      }
    }
    return operations;
  }

  /** The body of the last call of an operation that names {@code identifier}. */
  private static String body(String operation, String identifier) {
    return proxy.calls().stream()
        .filter(call -> call.operation().equals(operation))
        .map(call -> new String(call.body(), StandardCharsets.UTF_8))
        .filter(body -> body.contains(identifier))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + operation + " call for " + identifier));
  }

  /**
   * The values are nowhere in Kubernetes but their Secret (the resource with its status,
   * annotations and conditions, the namespace's events), nor in the metrics or the log.
   */
  private static void assertNowhereElse(
      KubernetesClient client, TestNamespace ns, Object resource, String... values) {
    String seen = Serialization.asJson(resource);
    String events =
        Serialization.asJson(client.v1().events().inNamespace(ns.name()).list().getItems());
    String log = log();
    String metrics = controller.metrics();
    assertThat(events).as("the namespace's events were read").contains(ns.name());
    assertThat(log).contains("DEBUG");
    for (String value : values) {
      assertThat(seen).as("the resource").doesNotContain(value);
      assertThat(events).as("the events").doesNotContain(value);
      assertThat(metrics).as("the metrics").doesNotContain(value);
      assertThat(log).as("the controller's log").doesNotContain(value);
    }
  }

  private static String log() {
    StringBuilder text = new StringBuilder();
    List<ILoggingEvent> events;
    synchronized (LOG) { // appending holds the appender's lock
      events = List.copyOf(LOG.list);
    }
    for (ILoggingEvent event : events) {
      text.append(event.getLevel())
          .append(' ')
          .append(event.getLoggerName())
          .append(' ')
          .append(event.getFormattedMessage())
          .append('\n');
      if (event.getThrowableProxy() != null) {
        text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
      }
    }
    return text.toString();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}

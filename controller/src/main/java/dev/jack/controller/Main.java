package dev.jack.controller;

import ch.qos.logback.classic.Level;
import dev.jack.runtime.AwsService;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** {@code jack-controller}: runs the controllers of the selected services until stopped. */
public final class Main {

  static final String VERSION = "v0.1.0";

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    if (Flags.isHelp(Arrays.asList(args))) {
      System.out.print(Flags.usage());
      return;
    }
    Flags flags;
    List<AwsService> services;
    InetSocketAddress metricsAddress;
    InetSocketAddress healthAddress;
    try {
      flags = Flags.parse(Arrays.asList(args), VERSION);
      services = select(flags);
      flags.checkKinds(kinds(services));
      metricsAddress = address("--metrics-addr", flags.metricsAddress());
      healthAddress = address("--healthz-addr", flags.healthAddress());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(flags.logLevel()));
    keepSecretsOutOfTheSdksLog();
    if (flags.jsonLogs()) {
      json(root);
    }
    // ACK skips such entries; saying so keeps a typo from going unnoticed.
    flags
        .settings()
        .resourceTags()
        .skipped()
        .forEach(e -> LOG.warn("--resource-tags: skipped '{}', which is not key=value", e));
    KubernetesClient client = KubernetesClients.create(Config.autoConfigure(null));
    AtomicBoolean stopping = new AtomicBoolean();
    JackController controller =
        new JackController(
            client,
            flags.settings(),
            services,
            DefaultCredentialsProvider.builder().build(),
            flags.leaderElectionNamespace(),
            () -> {
              // Leadership lost while running: exit, so that a restart competes again.
              if (!stopping.get()) {
                Runtime.getRuntime().halt(1);
              }
            });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  controller.close();
                  client.close();
                  stopped.countDown();
                },
                "jack-shutdown"));
    controller.serve(metricsAddress, healthAddress);
    try {
      controller.start();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n\n" + Flags.usage());
      Runtime.getRuntime().halt(2);
    } catch (IllegalStateException e) {
      // What the cluster refuses (the Lease's RBAC): said once, and the pod restarts.
      System.err.println(e.getMessage());
      Runtime.getRuntime().halt(1);
    }
    stopped.await();
  }

  /**
   * Holds the AWS SDK's retry strategy at INFO whatever {@code --log-level} says: at DEBUG it logs
   * every failed call's exception, whose message is AWS's and may echo a value of the request (a
   * password from a Secret) before jack can redact it. jack retries itself, so those lines say
   * nothing that jack's own do not.
   */
  public static void keepSecretsOutOfTheSdksLog() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("software.amazon.awssdk.retries"))
        .setLevel(Level.INFO);
  }

  /**
   * Switches the console appender ({@link LogConfigurator}'s) to one JSON object per line:
   * timestamp, level, thread, logger, message and exception, without logback's sequence numbers and
   * context.
   */
  private static void json(ch.qos.logback.classic.Logger root) {
    ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        root.getAppender(LogConfigurator.APPENDER);
    if (!(appender
        instanceof
        ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console)) {
      return;
    }
    ch.qos.logback.classic.encoder.JsonEncoder encoder =
        new ch.qos.logback.classic.encoder.JsonEncoder();
    encoder.setContext(console.getContext());
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithKVPList(false);
    encoder.setWithMarkers(false);
    encoder.start();
    console.stop();
    console.setEncoder(encoder);
    console.start();
  }

  /**
   * The services {@code --services} names (every one when it names none), from the class path or
   * the distribution's {@code services/} directory.
   */
  static List<AwsService> select(Flags flags) {
    return ServiceModules.ofDistribution().load(flags.services());
  }

  /** The kinds of the services. */
  static Set<String> kinds(List<AwsService> services) {
    Set<String> kinds = new java.util.HashSet<>();
    services.forEach(s -> s.kinds().forEach(k -> kinds.add(k.resourceClass().getSimpleName())));
    return kinds;
  }

  static InetSocketAddress address(String flag, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      if (colon < 0) {
        throw new IllegalArgumentException("no port");
      }
      String host = hostPort.substring(0, colon);
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + " is HOST:PORT or :PORT, not '" + hostPort + "'\n\n" + Flags.usage(), e);
    }
  }
}

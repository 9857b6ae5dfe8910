package dev.jack.controller;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * jack's logging, set up in code when logback starts (a {@link Configurator} service): a line per
 * entry on standard output, {@code --log-level} and {@code --log-format} applied by {@link Main}.
 * Reading an XML configuration instead would load logback's configuration language and the JDK's
 * XML parser, some 400 classes of start-up and memory. A configuration given as logback's own
 * ({@code -Dlogback.configurationFile}, or a {@code logback-test.xml} or {@code logback.xml} on the
 * class path, as tests and tools that embed jack have) takes precedence.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {

  /** The console appender's name, which {@link Main} switches to JSON. */
  static final String APPENDER = "STDOUT";

  /** Levels below the root's for libraries whose entries say nothing a user needs. */
  private static final Map<String, Level> LEVELS =
      Map.of(
          "io.fabric8",
          Level.WARN,
          "io.javaoperatorsdk",
          Level.INFO,
          // ACK's kinds are all v1alpha1: fabric8 warns of an unstable version once per kind.
          "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
          Level.ERROR,
          // Each kind's controller is an Operator of its own, started when its first resource
          // appears; jack says so itself.
          "io.javaoperatorsdk.operator.Operator",
          Level.WARN,
          // An informer whose list failed: jack's own handlers say so in a line, without the
          // stack trace this logger adds to each retry.
          "io.fabric8.kubernetes.client.informers.impl.cache.Reflector",
          Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogConfigurator.class.getClassLoader();
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
        || loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE) != null
        || loader.getResource(ClassicConstants.AUTOCONFIG_FILE) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(APPENDER);
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}

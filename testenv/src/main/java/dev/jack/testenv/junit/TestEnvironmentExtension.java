package dev.jack.testenv.junit;

import dev.jack.testenv.Binaries;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Provides the real API server and moto to integration tests (see {@link JackIntegrationTest}). The
 * servers live in the root context's store, so one of each serves the whole run and JUnit closes
 * them when the run ends. Their logs and data go to {@code target/testenv} (or {@code
 * $JACK_TESTENV_DIR}) and are kept after the run for debugging.
 */
public final class TestEnvironmentExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(TestEnvironmentExtension.class);
  private static final Set<Class<?>> SUPPORTED =
      Set.of(KubeApiServer.class, MotoServer.class, KubernetesClient.class, TestNamespace.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    // Earlier classes' resources and moto's state must not leak into this one.
    Store root = context.getRoot().getStore(NAMESPACE);
    Closing kube = root.get(KubeApiServer.class, Closing.class);
    if (kube != null) {
      try (KubernetesClient client = ((KubeApiServer) kube.value()).newAdminClient()) {
        AckResourceSweeper.sweep(client);
      }
    }
    Closing moto = root.get(MotoServer.class, Closing.class);
    if (moto != null) {
      ((MotoServer) moto.value()).reset();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return SUPPORTED.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == KubeApiServer.class) {
      return kube(context);
    }
    if (type == MotoServer.class) {
      return moto(context);
    }
    if (type == KubernetesClient.class) {
      return classClient(context);
    }
    KubernetesClient client = classClient(context);
    return getOrCreate(
        context.getStore(NAMESPACE),
        TestNamespace.class,
        () -> TestNamespace.create(client, context.getDisplayName()));
  }

  private static KubeApiServer kube(ExtensionContext context) {
    return getOrCreate(
        context.getRoot().getStore(NAMESPACE),
        KubeApiServer.class,
        () -> KubeApiServer.start(Binaries.fromEnvironment(), workDir("kube")));
  }

  private static MotoServer moto(ExtensionContext context) {
    return getOrCreate(
        context.getRoot().getStore(NAMESPACE),
        MotoServer.class,
        () -> MotoServer.start(Binaries.fromEnvironment(), workDir("moto")));
  }

  /** One admin client per test class, closed after it. */
  private static KubernetesClient classClient(ExtensionContext context) {
    KubeApiServer kube = kube(context);
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return getOrCreate(
        classContext.getStore(NAMESPACE), KubernetesClient.class, kube::newAdminClient);
  }

  private static <T extends AutoCloseable> T getOrCreate(
      Store store, Class<T> type, Supplier<T> create) {
    return type.cast(
        store.getOrComputeIfAbsent(type, k -> new Closing(create.get()), Closing.class).value());
  }

  private static Path workDir(String name) {
    String configured = System.getenv("JACK_TESTENV_DIR");
    Path base =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("target", "testenv");
    return base.resolve(name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
  }

  /** Closes the value when JUnit discards the store that holds it. */
  private record Closing(AutoCloseable value) implements Store.CloseableResource {
    @Override
    public void close() throws Exception {
      value.close();
    }
  }
}

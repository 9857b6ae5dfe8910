package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.runtime.AwsClientSettings;
import dev.jack.runtime.AwsService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkClient;

/** The distribution's services/ directory, with modules written here. */
class ServiceModulesTest {

  /** A service module's provider; the test's class path holds the class, the jar names it. */
  public static final class Alpha implements AwsService {
    @Override
    public String name() {
      return "alpha";
    }

    @Override
    public SdkClient newClient(AwsClientSettings settings) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<AwsService.ManagedKind<?>> kinds() {
      return List.of();
    }
  }

  @TempDir Path services;

  private void module(String name, String providers) throws IOException {
    Path dir = Files.createDirectories(services.resolve(name));
    try (OutputStream file = Files.newOutputStream(dir.resolve("jack-service-" + name + ".jar"));
        JarOutputStream jar = new JarOutputStream(file)) {
      if (providers != null) {
        jar.putNextEntry(new ZipEntry("META-INF/services/" + AwsService.class.getName()));
        jar.write(providers.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
  }

  @Test
  void aModuleIsItsJarsProvider() throws IOException {
    module("alpha", "# the service\n\n" + Alpha.class.getName() + "  # alpha\n");
    ServiceModules modules = new ServiceModules(services);
    assertThat(modules.installed()).containsExactly("alpha");
    assertThat(modules.load(List.of("alpha"))).singleElement().isInstanceOf(Alpha.class);
    assertThat(modules.load(List.of())).extracting(AwsService::name).contains("alpha");
  }

  @Test
  void anUnknownNameListsTheServicesThereAre() throws IOException {
    module("alpha", Alpha.class.getName());
    assertThatThrownBy(() -> new ServiceModules(services).load(List.of("alpha", "beta")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--services: no service 'beta'")
        .hasMessageContaining("alpha");
  }

  @Test
  void aModuleWithoutProviderIsSaidSo() throws IOException {
    module("broken", null);
    assertThatThrownBy(() -> new ServiceModules(services).load(List.of("broken")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broken")
        .hasMessageContaining("META-INF/services/dev.jack.runtime.AwsService");
  }

  @Test
  void aServiceNotEnabledIsNotRead() throws IOException {
    module("alpha", Alpha.class.getName());
    module("broken", null);
    assertThat(new ServiceModules(services).load(List.of("alpha"))).hasSize(1);
  }

  @Test
  void withoutADistributionOnlyTheClassPathServes() {
    ServiceModules none = new ServiceModules(null);
    assertThat(none.installed()).isEmpty();
    assertThat(none.load(List.of())).extracting(AwsService::name).contains("s3", "sqs");
  }
}

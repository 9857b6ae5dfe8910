package dev.jack.controller;

import dev.jack.runtime.AwsService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The AWS services a process can serve: the service modules on the class path, and those that
 * jack's distribution installs apart, one directory of jars per service under {@code services/}
 * beside the {@code lib/} directory of jack's own jars ({@code services/s3/} holds jack's S3 module
 * and the AWS SDK's S3 client), each service from a class loader of its own. A service that {@code
 * --services} does not enable is never opened, and an enabled service's SDK client only once the
 * service's first resource needs it: the Java runtime keeps the central directory of every jar it
 * opens on its heap (9 MiB for the fifteen services a process serving S3 and SQS does not use).
 */
final class ServiceModules {

  private static final String PROVIDERS = "META-INF/services/" + AwsService.class.getName();

  /** The file name with which the jar of jack's module of a service begins. */
  private static final String MODULE_PREFIX = "jack-service-";

  private final Path directory;

  /**
   * @param directory the directories of the services installed apart, or null where there are none
   */
  ServiceModules(Path directory) {
    this.directory = directory;
  }

  /**
   * The services of the distribution this class was loaded from: {@code services/} beside the
   * directory of jack's jar. None when jack runs from classes, as in its own build.
   */
  static ServiceModules ofDistribution() {
    try {
      Path code =
          Path.of(ServiceModules.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path services = code.getParent() == null ? null : code.getParent().resolveSibling("services");
      return new ServiceModules(
          Files.isRegularFile(code) && services != null && Files.isDirectory(services)
              ? services
              : null);
    } catch (URISyntaxException | SecurityException e) {
      return new ServiceModules(null);
    }
  }

  /** The names of the services installed apart (their directories). */
  SortedSet<String> installed() {
    SortedSet<String> names = new TreeSet<>();
    if (directory != null) {
      try (Stream<Path> entries = Files.list(directory)) {
        entries.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + directory, e);
      }
    }
    return names;
  }

  /**
   * The services {@code names} names, in that order, or every service when it is empty.
   *
   * @throws IllegalArgumentException for a name no service has, naming those there are, or when
   *     there is no service at all
   */
  List<AwsService> load(Collection<String> names) {
    SortedSet<String> installed = installed();
    List<AwsService> available = new ArrayList<>();
    ServiceLoader.load(AwsService.class, ServiceModules.class.getClassLoader())
        .forEach(available::add);
    for (String name : installed) {
      if (names.isEmpty() || names.contains(name)) {
        available.add(loadInstalled(name));
      }
    }
    if (available.isEmpty() && installed.isEmpty()) {
      throw new IllegalArgumentException(
          "no AWS service to serve: jack's distribution holds each in a directory of "
              + (directory != null ? directory : "services/ beside lib/")
              + ", and none is there");
    }
    if (names.isEmpty()) {
      return available;
    }
    List<AwsService> selected = new ArrayList<>();
    for (String name : names) {
      selected.add(
          available.stream()
              .filter(s -> s.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () -> {
                    SortedSet<String> all = new TreeSet<>(installed);
                    available.forEach(s -> all.add(s.name()));
                    return new IllegalArgumentException(
                        "--services: no service '" + name + "'; this build has " + all);
                  }));
    }
    return selected;
  }

  /**
   * The service installed in the directory {@code name}, from a class loader of its own whose first
   * jar is jack's module: the provider is read from that jar alone (a {@link ServiceLoader} would
   * open every jar of the loader to look for one), and a class loader opens a jar only when it
   * looks for a class past the jars before it, so the AWS SDK's client, the largest jar, is opened
   * when the service's first resource needs it.
   */
  private AwsService loadInstalled(String name) {
    List<URL> jars = jars(directory.resolve(name));
    URLClassLoader loader =
        new URLClassLoader(
            "jack-service-" + name,
            jars.toArray(URL[]::new),
            ServiceModules.class.getClassLoader());
    URL providers = loader.findResource(PROVIDERS);
    if (providers == null) {
      throw new IllegalStateException(directory.resolve(name) + " has no jar with " + PROVIDERS);
    }
    try (InputStream in = providers.openStream()) {
      String provider =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .map(line -> line.replaceAll("#.*", "").strip())
              .filter(line -> !line.isEmpty())
              .findFirst()
              .orElseThrow(() -> new IllegalStateException(providers + " names no class"));
      return Class.forName(provider, true, loader)
          .asSubclass(AwsService.class)
          .getDeclaredConstructor()
          .newInstance();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + providers, e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the service of " + providers, e);
    }
  }

  /** The jars of a service's directory, jack's module first. */
  private static List<URL> jars(Path service) {
    try (Stream<Path> entries = Files.list(service)) {
      List<URL> urls = new ArrayList<>();
      List<Path> jars =
          entries
              .filter(p -> p.toString().endsWith(".jar"))
              .sorted(
                  Comparator.comparing(
                          (Path p) -> !p.getFileName().toString().startsWith(MODULE_PREFIX))
                      .thenComparing(Comparator.naturalOrder()))
              .toList();
      for (Path jar : jars) {
        urls.add(jar.toUri().toURL());
      }
      return urls;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + service, e);
    }
  }
}

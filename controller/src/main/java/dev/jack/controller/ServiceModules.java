package dev.jack.controller;

import dev.jack.runtime.AwsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The AWS services a process can serve: the service modules on the class path, and those that
 * jack's distribution installs apart, one directory of jars per service under {@code services/}
 * beside the {@code lib/} directory of jack's own jars ({@code services/s3/} holds jack's S3 module
 * and the AWS SDK's S3 client). Only the jars of the services {@code --services} enables are
 * opened: the Java runtime keeps the central directory of every jar it opens on its heap, 9 MiB for
 * the fifteen services that a process serving S3 and SQS does not use.
 */
final class ServiceModules {

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
   * The services {@code names} names, in that order, or every service when it is empty. Those
   * installed apart come from a class loader of their jars, which becomes the calling thread's
   * context class loader (where libraries look for classes they know by name), and so that of the
   * threads it starts.
   *
   * @throws IllegalArgumentException for a name no service has, naming those there are
   */
  List<AwsService> load(Collection<String> names) {
    List<URL> jars = new ArrayList<>();
    for (String name : installed()) {
      if (names.isEmpty() || names.contains(name)) {
        jars.addAll(jars(directory.resolve(name)));
      }
    }
    ClassLoader parent = ServiceModules.class.getClassLoader();
    ClassLoader loader = parent;
    if (!jars.isEmpty()) {
      loader = new URLClassLoader("jack-services", jars.toArray(URL[]::new), parent);
      Thread.currentThread().setContextClassLoader(loader);
    }
    List<AwsService> available = new ArrayList<>();
    ServiceLoader.load(AwsService.class, loader).forEach(available::add);
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
                    SortedSet<String> all = installed();
                    available.forEach(s -> all.add(s.name()));
                    return new IllegalArgumentException(
                        "--services: no service '" + name + "'; this build has " + all);
                  }));
    }
    return selected;
  }

  private static List<URL> jars(Path service) {
    try (Stream<Path> entries = Files.list(service)) {
      List<URL> urls = new ArrayList<>();
      for (Path jar : entries.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(jar.toUri().toURL());
      }
      return urls;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + service, e);
    }
  }
}

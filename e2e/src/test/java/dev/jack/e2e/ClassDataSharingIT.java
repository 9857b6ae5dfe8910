package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's class-data-sharing archive ({@code jack.jsa}) serves the Java runtime and the
 * jars it was made for. The JVM, given an archive that does not match, maps none, not even the
 * runtime's own; {@code bin/jack} hands the JVM the archive only while {@code jack.jsa.id} (which
 * {@code bin/jack-cds} writes with it) still describes them.
 */
class ClassDataSharingIT {

  private static final Path DISTRIBUTION = JackProcess.EXECUTABLE.getParent().getParent();

  private static final String SHARED = "shared objects file";

  @Test
  void anArchiveMadeForAnotherDirectoryIsLeftAsideUntilItIsMadeAgain(@TempDir Path dir)
      throws Exception {
    // Where the build made it: jack's classes and the runtime's come from the archive.
    assertThat(source(DISTRIBUTION, "dev.jack.controller.Main")).isEqualTo(SHARED);
    assertThat(source(DISTRIBUTION, "java.lang.Object")).isEqualTo(SHARED);

    // A copy of the distribution with the archive made for the original: the JVM would refuse
    // it and share nothing. Without it, the runtime's own archive serves.
    Path copy = dir.resolve("jack");
    copyTree(DISTRIBUTION, copy);
    assertThat(copy.resolve("jack.jsa")).exists();
    assertThat(source(copy, "java.lang.Object")).isEqualTo(SHARED);
    assertThat(source(copy, "dev.jack.controller.Main")).isNotEqualTo(SHARED).contains("jack");

    // Made again where it is: shared again.
    ProcessBuilder remake =
        new ProcessBuilder(copy.resolve("bin").resolve("jack-cds").toString())
            .redirectErrorStream(true);
    remake.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process cds = remake.start();
    cds.getOutputStream().close();
    String output = new String(cds.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cds.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(cds.exitValue()).as(output).isZero();
    assertThat(Files.readString(copy.resolve("jack.jsa.id"))).contains(copy.toString());
    assertThat(source(copy, "dev.jack.controller.Main")).isEqualTo(SHARED);
  }

  /**
   * Where the JVM that {@code bin/jack} starts takes {@code className} from ({@code SHARED}, or the
   * jar or module it read it from), with this JVM's runtime as JAVA_HOME, as the build made the
   * archive with.
   */
  private static String source(Path distribution, String className) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(distribution.resolve("bin").resolve("jack").toString(), "--help")
            .redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("JAVA_OPTS", "-Xlog:class+load=info");
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String marker = " " + className + " source: ";
    return output
        .lines()
        .filter(line -> line.contains("[class,load]") && line.contains(marker))
        .map(line -> line.substring(line.indexOf(marker) + marker.length()).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no load of " + className + " in:\n" + output));
  }

  /** Copies a directory, keeping each file's modification time and permissions. */
  private static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

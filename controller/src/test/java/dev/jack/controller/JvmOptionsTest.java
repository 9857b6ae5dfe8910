package dev.jack.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The JVM options that bin/jack and the container image start jack's JVM with. */
class JvmOptionsTest {

  private static final Path OPTIONS = Path.of("src", "dist", "jvm.options");

  /** The properties of a JVM started with jvm.options, as the JVM reports them. */
  private static String startedWithOptions() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(java.toString(), "@" + OPTIONS, "-XshowSettings:properties", "-version")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void tlsPrefersChaCha20AndKeepsEverySuiteTheJdkEnables() throws Exception {
    String output = startedWithOptions();
    String line =
        output
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("jdk.tls.client.cipherSuites = "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no cipher suites in:\n" + output));
    List<String> preferred =
        Arrays.asList(line.substring(line.indexOf('=') + 1).strip().split(","));

    // The option is one quoted value over several lines: no suite keeps a space or a backslash.
    assertThat(preferred).allMatch(suite -> suite.matches("TLS_[A-Z0-9_]+"));
    // No suite the JDK enables by default is dropped, none is added: only the order changes.
    String[] defaults = SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
    assertThat(preferred).containsExactlyInAnyOrder(defaults).doesNotHaveDuplicates();
    // ChaCha20-Poly1305 first for TLS 1.3 and for TLS 1.2's key exchanges.
    assertThat(preferred.get(0)).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    assertThat(preferred.stream().filter(s -> s.startsWith("TLS_ECDHE_")).findFirst())
        .hasValueSatisfying(suite -> assertThat(suite).contains("CHACHA20_POLY1305"));
  }
}

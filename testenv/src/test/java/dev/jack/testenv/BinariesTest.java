package dev.jack.testenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesTest {

  @TempDir Path dir;

  @Test
  void findsAnExecutableInTheCache() throws IOException {
    Path kubeApiServer = executable(dir.resolve("cache/bin/kube-apiserver"));

    assertThat(new Binaries(dir.resolve("cache"), "").kubeApiServer()).isEqualTo(kubeApiServer);
  }

  @Test
  void aMissingBinaryNamesTheInstallCommand() {
    Binaries binaries = new Binaries(dir.resolve("empty-cache"), "");

    assertThatThrownBy(binaries::etcd)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("etcd is not installed")
        .hasMessageContaining(dir.resolve("empty-cache/bin/etcd").toString())
        .hasMessageContaining("make setup");
  }

  @Test
  void aFileThatIsNotExecutableDoesNotCount() throws IOException {
    Path plain = dir.resolve("cache/bin/helm");
    Files.createDirectories(plain.getParent());
    Files.writeString(plain, "not a program");

    assertThatThrownBy(() -> new Binaries(dir.resolve("cache"), "").helm())
        .hasMessageContaining("helm is not installed");
  }

  @Test
  void motoPrefersTheCachedVirtualenvOverThePath() throws IOException {
    Path fromVenv = executable(dir.resolve("cache/moto/bin/moto_server"));
    executable(dir.resolve("path/moto_server"));

    Binaries binaries = new Binaries(dir.resolve("cache"), dir.resolve("path").toString());

    assertThat(binaries.motoServer()).isEqualTo(fromVenv);
  }

  @Test
  void motoFallsBackToThePath() throws IOException {
    Path onPath = executable(dir.resolve("second/moto_server"));
    String path = dir.resolve("first") + ":" + dir.resolve("second");

    assertThat(new Binaries(dir.resolve("cache"), path).motoServer()).isEqualTo(onPath);
  }

  @Test
  void missingMotoNamesTheInstallCommand() {
    assertThatThrownBy(() -> new Binaries(dir.resolve("cache"), dir.toString()).motoServer())
        .hasMessageContaining("moto_server")
        .hasMessageContaining("make setup");
  }

  private static Path executable(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "#!/bin/sh\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }
}

package dev.jack.testenv;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the executables that {@code testenv/install.sh} puts into jack's cache ({@code
 * $JACK_CACHE}, by default {@code ~/.cache/jack}), falling back to the {@code PATH} for those a
 * machine may already have.
 */
public final class Binaries {

  /** How a user installs whatever is missing. */
  public static final String INSTALL_HINT =
      "run `make setup` (testenv/install.sh) from the jack checkout";

  private final Path cacheDir;
  private final String path;

  public Binaries(Path cacheDir, String path) {
    this.cacheDir = cacheDir;
    this.path = path == null ? "" : path;
  }

  /** The cache this process was configured with: {@code $JACK_CACHE} or {@code ~/.cache/jack}. */
  public static Binaries fromEnvironment() {
    String configured = System.getenv("JACK_CACHE");
    Path cache =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".cache", "jack");
    return new Binaries(cache, System.getenv("PATH"));
  }

  public Path cacheDir() {
    return cacheDir;
  }

  public Path etcd() {
    return fromCache("etcd");
  }

  public Path kubeApiServer() {
    return fromCache("kube-apiserver");
  }

  public Path kubectl() {
    return fromCache("kubectl");
  }

  public Path helm() {
    return fromCache("helm");
  }

  /** ACK's own S3 controller (Go), a peer that the migration test hands its resources over from. */
  public Path ackS3Controller() {
    return fromCache("ack-s3-controller");
  }

  /** The CRDs of ACK's S3 controller's Helm chart (its Bucket's, FieldExport's, ...). */
  public Path ackS3Crds() {
    Path dir = cacheDir.resolve("ack-crds").resolve("s3");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("ACK's S3 CRDs are not in " + dir + ": " + INSTALL_HINT);
    }
    return dir;
  }

  /** The botocore wheel with the AWS API documentation, for the code generator. */
  public Path apiDocs() {
    return cacheDir.resolve("models").resolve("botocore.whl");
  }

  /** moto's server: the cache's virtualenv when the install script made one, else the PATH's. */
  public Path motoServer() {
    Path venv = cacheDir.resolve("moto").resolve("bin").resolve("moto_server");
    if (Files.isExecutable(venv)) {
      return venv;
    }
    return onPath("moto_server")
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "moto_server is neither in " + venv + " nor on the PATH: " + INSTALL_HINT));
  }

  private Path fromCache(String name) {
    Path candidate = cacheDir.resolve("bin").resolve(name);
    if (!Files.isExecutable(candidate)) {
      throw new IllegalStateException(
          name + " is not installed (looked for " + candidate + "): " + INSTALL_HINT);
    }
    return candidate;
  }

  private Optional<Path> onPath(String name) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

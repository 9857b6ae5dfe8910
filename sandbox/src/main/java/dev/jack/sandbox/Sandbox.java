package dev.jack.sandbox;

import dev.jack.testenv.Binaries;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * jack's local sandbox: a real Kubernetes API server and the moto AWS emulator on loopback ports,
 * started fresh under {@code $JACK_CACHE/sandbox} and stopped on Ctrl-C.
 */
public final class Sandbox {

  private Sandbox() {}

  public static void main(String[] args) throws Exception {
    Binaries binaries = Binaries.fromEnvironment();
    Path workDir = binaries.cacheDir().resolve("sandbox");
    deleteRecursively(workDir);

    System.out.println("Starting the jack sandbox in " + workDir + " ...");
    KubeApiServer kube = KubeApiServer.start(binaries, workDir.resolve("kube"));
    MotoServer moto = MotoServer.start(binaries, workDir.resolve("moto"));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping the jack sandbox ...");
                  moto.close();
                  kube.close();
                  stopped.countDown();
                },
                "sandbox-shutdown"));

    Path envFile = workDir.resolve("env.sh");
    Files.writeString(envFile, environment(kube, moto));
    System.out.println(
        """

        The jack sandbox is up.

          Kubernetes API server  %s
          AWS emulator (moto)    %s

        In another shell:
          source %s
          kubectl get namespaces
          aws s3 ls

        Logs are in %s. Press Ctrl-C to stop.
        """
            .formatted(kube.url(), moto.endpoint(), envFile, workDir));
    stopped.await();
  }

  private static String environment(KubeApiServer kube, MotoServer moto) {
    return """
        export KUBECONFIG=%s
        export AWS_ENDPOINT_URL=%s
        export AWS_ACCESS_KEY_ID=%s
        export AWS_SECRET_ACCESS_KEY=%s
        export AWS_REGION=us-east-1
        export AWS_DEFAULT_REGION=us-east-1
        """
        .formatted(
            kube.kubeconfig(),
            moto.endpoint(),
            MotoServer.ACCESS_KEY_ID,
            MotoServer.SECRET_ACCESS_KEY);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}

package dev.jack.bench;

import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * ACK's own S3 controller (Go, v1.1.1, built by {@code testenv/install.sh} from its module with its
 * own go.sum), run outside a cluster as its chart would run it in one: its default concurrency, the
 * given resync period, and only what running outside a pod needs (a kubeconfig in the environment,
 * the endpoint, which ACK allows only with {@code --allow-unsafe-aws-endpoint-urls}, listen
 * addresses). The adopted-resource, field-export and CARM reconcilers are off, as no resource here
 * uses them and their CRDs would otherwise be required.
 */
record AckS3Launcher(
    Path binary,
    int resyncSeconds,
    List<String> args,
    Path kubeconfig,
    List<Path> crds,
    long clockTicks)
    implements Launcher {

  @Override
  public String id() {
    return "ack";
  }

  @Override
  public String title() {
    return "ACK s3-controller v1.1.1";
  }

  @Override
  public List<Kind> kinds() {
    return List.of(Kind.BUCKET);
  }

  @Override
  public ControllerProcess start(URI aws, String namespace, Path logDir) {
    int health = Ports.freeLoopbackPort();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                binary.toString(),
                "--aws-region",
                "us-east-1",
                "--aws-endpoint-url",
                aws.toString(),
                "--aws-identity-endpoint-url",
                aws.toString(),
                "--allow-unsafe-aws-endpoint-urls",
                "--watch-namespace",
                namespace,
                "--reconcile-default-resync-seconds",
                Integer.toString(resyncSeconds),
                "--enable-adopted-resource-reconciler=false",
                "--enable-field-export-reconciler=false",
                "--enable-carm=false",
                "--metrics-addr",
                "127.0.0.1:" + Ports.freeLoopbackPort(),
                "--healthz-addr",
                "127.0.0.1:" + health));
    command.addAll(args);
    // No AWS_CA_BUNDLE or other AWS_ variable of the machine: the endpoint is plain http.
    Map<String, String> env =
        Map.of(
            "KUBECONFIG", kubeconfig.toString(),
            "AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_ACCESS_KEY);
    ControllerProcess process = ControllerProcess.start(id(), command, env, logDir, clockTicks);
    try {
      process.awaitReady(
          URI.create("http://127.0.0.1:" + health + "/readyz"), JackLauncher.READY_TIMEOUT);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return process;
  }

  @Override
  public boolean refreshesOnAnnotation() {
    return false;
  }
}

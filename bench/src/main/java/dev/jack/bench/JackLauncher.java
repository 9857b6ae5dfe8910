package dev.jack.bench;

import dev.jack.testenv.MotoServer;
import dev.jack.testenv.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jack's packaged executable ({@code controller/target/jack-dist/jack/bin/jack}) with a user's
 * flags: only the region, the endpoint, the namespace to watch and free listen addresses are given;
 * everything else is jack's default. JAVA_OPTS sizes the JVM as the chart's container would (its
 * memory limit), since outside a container the JVM would size its heap from the whole machine.
 */
record JackLauncher(
    Path executable,
    List<String> services,
    String javaOpts,
    List<String> args,
    Path kubeconfig,
    List<Path> crds,
    long clockTicks)
    implements Launcher {

  @Override
  public String id() {
    return services.isEmpty() ? "jack-all" : "jack";
  }

  @Override
  public String title() {
    List<String> served = served();
    return served.isEmpty() ? "jack (all services)" : "jack (" + String.join(",", served) + ")";
  }

  /** The services jack runs: those of a {@code --services} among {@link #args}, else these. */
  private List<String> served() {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith("--services=")) {
        return List.of(args.get(i).substring("--services=".length()).split(","));
      }
      if (args.get(i).equals("--services") && i + 1 < args.size()) {
        return List.of(args.get(i + 1).split(","));
      }
    }
    return services;
  }

  @Override
  public List<Kind> kinds() {
    return List.of(Kind.BUCKET, Kind.QUEUE);
  }

  @Override
  public ControllerProcess start(URI aws, String namespace, Path logDir) {
    int health = Ports.freeLoopbackPort();
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    if (!services.isEmpty()) {
      command.addAll(List.of("--services", String.join(",", services)));
    }
    command.addAll(
        List.of(
            "--aws-region",
            "us-east-1",
            "--aws-endpoint-url",
            aws.toString(),
            "--watch-namespace",
            namespace,
            "--metrics-addr",
            "127.0.0.1:" + Ports.freeLoopbackPort(),
            "--healthz-addr",
            "127.0.0.1:" + health));
    command.addAll(args);
    Map<String, String> env =
        Map.of(
            "KUBECONFIG",
            kubeconfig.toString(),
            "AWS_ACCESS_KEY_ID",
            MotoServer.ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY",
            MotoServer.SECRET_ACCESS_KEY,
            "JAVA_HOME",
            System.getProperty("java.home"),
            "JAVA_OPTS",
            javaOpts);
    ControllerProcess process = ControllerProcess.start(id(), command, env, logDir, clockTicks);
    try {
      process.awaitReady(URI.create("http://127.0.0.1:" + health + "/readyz"), READY_TIMEOUT);
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    return process;
  }

  @Override
  public boolean refreshesOnAnnotation() {
    return true;
  }

  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
}

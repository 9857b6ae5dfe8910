package dev.jack.bench;

import java.util.List;
import java.util.Optional;

/**
 * The CPU time of the servers a controller depends on, moto and the API server (kube-apiserver with
 * etcd), found among this harness's own child processes: what a burst cost them tells whether they,
 * not the controller, set its pace (moto is one Python process, at most one core).
 */
final class ServerProcesses {

  private final long clockTicks;

  ServerProcesses(long clockTicks) {
    this.clockTicks = clockTicks;
  }

  /** CPU seconds so far of the moto serving {@code port}, and of kube-apiserver plus etcd. */
  Cpu cpu(int motoPort) {
    double moto = 0;
    double apiServer = 0;
    for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
      List<String> command = commandLine(child);
      if (command.isEmpty()) {
        continue;
      }
      String executable = command.get(0);
      try {
        if (command.stream().anyMatch(a -> a.endsWith("moto_server"))
            && command.contains(Integer.toString(motoPort))) {
          moto += ProcessUsage.of(child.pid(), clockTicks).cpuSeconds();
        } else if (executable.endsWith("/kube-apiserver") || executable.endsWith("/etcd")) {
          apiServer += ProcessUsage.of(child.pid(), clockTicks).cpuSeconds();
        }
      } catch (RuntimeException gone) {
        // It ended between the listing and the read.
      }
    }
    return new Cpu(moto, apiServer);
  }

  private static List<String> commandLine(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    Optional<String> command = info.command();
    if (command.isEmpty()) {
      return List.of();
    }
    List<String> all = new java.util.ArrayList<>();
    all.add(command.get());
    info.arguments().ifPresent(args -> all.addAll(List.of(args)));
    return all;
  }

  /** CPU seconds of moto and of the API server (kube-apiserver and etcd). */
  record Cpu(double moto, double apiServer) {
    Cpu minus(Cpu before) {
      return new Cpu(moto - before.moto, apiServer - before.apiServer);
    }
  }
}

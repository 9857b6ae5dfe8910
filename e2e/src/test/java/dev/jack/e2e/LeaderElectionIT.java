package dev.jack.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jack.api.AckCondition;
import dev.jack.controller.JackController;
import dev.jack.services.sqs.v1alpha1.Queue;
import dev.jack.services.sqs.v1alpha1.QueueSpec;
import dev.jack.testenv.KubeApiServer;
import dev.jack.testenv.MotoServer;
import dev.jack.testenv.junit.JackIntegrationTest;
import dev.jack.testenv.junit.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election: one holds the Lease and reconciles; the other waits, and takes
 * over when the first stops, which releases the Lease rather than letting it expire.
 */
@JackIntegrationTest
class LeaderElectionIT {

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItStops(
      KubeApiServer kube, MotoServer moto, KubernetesClient client, TestNamespace ns) {
    RunningController first =
        RunningController.start(kube, moto.endpoint(), Duration.ofHours(10), ns.name());
    RunningController second = null;
    try {
      await().atMost(Resources.TIMEOUT).until(() -> holder(client, ns) != null);
      String leader = holder(client, ns);
      assertThat(leader).isEqualTo(first.identity());
      second = RunningController.start(kube, moto.endpoint(), Duration.ofHours(10), ns.name());

      Resources<Queue, QueueSpec> queues =
          new Resources<>(client, ns, Queue.class, Queue::new, QueueSpec::new);
      queues.create("led", spec -> spec.setQueueName("led-" + ns.name()));
      queues.waitFor("led", AckCondition.RESOURCE_SYNCED, "True");
      assertThat(first.calls("sqs", "CreateQueue")).isEqualTo(1);
      assertThat(second.calls("sqs", "CreateQueue")).isZero();
      assertThat(holder(client, ns)).isEqualTo(leader);

      first.close();
      first = null;
      assertThat(holder(client, ns))
          .as("released at the stop: the standby need not wait for the Lease to expire")
          .isNotEqualTo(leader);
      String standby = second.identity();
      await().atMost(Resources.TIMEOUT).until(() -> standby.equals(holder(client, ns)));
      queues.deleteAndWait("led");
      assertThat(second.calls("sqs", "DeleteQueue")).isEqualTo(1);
    } finally {
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
    }
  }

  private static String holder(KubernetesClient client, TestNamespace ns) {
    Lease lease = client.leases().inNamespace(ns.name()).withName(JackController.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}

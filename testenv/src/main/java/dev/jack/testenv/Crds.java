package dev.jack.testenv;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs CustomResourceDefinitions and waits until the API server serves them. */
public final class Crds {

  private static final Duration ESTABLISH_TIMEOUT = Duration.ofSeconds(30);

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Crds() {}

  /** Reads every CRD in the given YAML files (one or more documents each). */
  public static List<CustomResourceDefinition> read(List<Path> files) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        Object parsed = SERIALIZATION.unmarshal(in);
        if (parsed instanceof List<?> documents) {
          documents.forEach(d -> crds.add((CustomResourceDefinition) d));
        } else {
          crds.add((CustomResourceDefinition) parsed);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRDs from " + file, e);
      }
    }
    return crds;
  }

  /** Applies the CRDs (server-side) and returns once each is Established. */
  public static void install(KubernetesClient client, List<CustomResourceDefinition> crds) {
    for (CustomResourceDefinition crd : crds) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .forceConflicts()
          .serverSideApply();
    }
    for (CustomResourceDefinition crd : crds) {
      String name = crd.getMetadata().getName();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(
              c -> c != null && isEstablished(c), ESTABLISH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static boolean isEstablished(CustomResourceDefinition crd) {
    if (crd.getStatus() == null || crd.getStatus().getConditions() == null) {
      return false;
    }
    for (CustomResourceDefinitionCondition condition : crd.getStatus().getConditions()) {
      if ("Established".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return true;
      }
    }
    return false;
  }
}

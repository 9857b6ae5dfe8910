package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.AckCondition;
import dev.jack.api.AckStatus;
import dev.jack.api.core.FieldExport;
import dev.jack.api.core.FieldExportSpec;
import dev.jack.api.core.FieldExportStatus;
import dev.jack.runtime.EventRecorder.Reason;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * ACK's FieldExport: copies one value of a synced resource of the same namespace, selected by a jq
 * path, into a key of an existing ConfigMap or Secret, and copies it again whenever that resource
 * syncs. It writes only when the value changed; what is wrong (a missing resource or target, a path
 * that selects nothing) is reported on the FieldExport and looked at again with backoff, never in a
 * hot loop. It writes into the FieldExport's own namespace only, unless the controller runs with
 * {@code --enable-cross-namespace}: otherwise a user who may create FieldExports in one namespace
 * could make the controller write into another.
 */
public final class FieldExportReconciler implements Reconciler<FieldExport>, Cleaner<FieldExport> {

  /** ACK's finalizer of FieldExports: a FieldExport ACK managed keeps working under jack. */
  public static final String FINALIZER = "finalizers.services.k8s.aws/FieldExport";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * jq's built-in functions, loaded with the first FieldExport's path: some 200 classes a process
   * without FieldExports never loads.
   */
  private static final class Jq {
    static final Scope BUILTINS = Scope.newEmptyScope();

    static {
      BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, BUILTINS);
    }

    private Jq() {}
  }

  private final Map<String, Class<? extends CustomResource<?, ?>>> kinds;
  private final ReferenceWatch watch;
  private final ReferenceWatch.WakeUps<FieldExport> wakeUps;
  private final Conditions conditions;
  private final EventRecorder events;
  private final Duration resyncPeriod;
  private final boolean crossNamespace;

  /**
   * @param kinds the kinds this process reconciles, by {@link #kindKey}: FieldExports of other
   *     kinds are another controller's
   * @param resyncPeriod how often an export is checked again without a sync of its resource
   * @param crossNamespace {@code --enable-cross-namespace}: targets in other namespaces are allowed
   */
  public FieldExportReconciler(
      Map<String, Class<? extends CustomResource<?, ?>>> kinds,
      ReferenceWatch watch,
      Conditions conditions,
      EventRecorder events,
      Duration resyncPeriod,
      boolean crossNamespace) {
    this.kinds = Map.copyOf(kinds);
    this.watch = watch;
    this.wakeUps = new ReferenceWatch.WakeUps<>("exported-resources");
    this.conditions = conditions;
    this.events = events;
    this.resyncPeriod = resyncPeriod;
    this.crossNamespace = crossNamespace;
  }

  /** The key of a kind: its group and kind, in lower case (ACK matches kinds so). */
  public static String kindKey(String group, String kind) {
    return (group + "/" + kind).toLowerCase(Locale.ROOT);
  }

  /** Whether this process serves the FieldExport's resource kind. */
  public boolean serves(FieldExport export) {
    FieldExportSpec.Resource resource = source(export);
    return resource != null && kinds.containsKey(kindKey(resource.getGroup(), resource.getKind()));
  }

  @Override
  public List<EventSource<?, FieldExport>> prepareEventSources(
      EventSourceContext<FieldExport> context) {
    return List.of(wakeUps);
  }

  @Override
  public UpdateControl<FieldExport> reconcile(FieldExport export, Context<FieldExport> context) {
    if (export.getStatus() == null) {
      export.setStatus(new FieldExportStatus());
    }
    AckStatus status = export.getStatus();
    try {
      String value = export(export, context.getClient());
      conditions.remove(status, AckCondition.TERMINAL);
      conditions.remove(status, AckCondition.RECOVERABLE);
      conditions.set(
          status, AckCondition.RESOURCE_SYNCED, true, null, "Exported " + describe(export));
      if (value != null) {
        events.normal(export, Reason.Exported, "Exported " + describe(export));
      }
      return written(export, context.getClient()).rescheduleAfter(resyncPeriod);
    } catch (TerminalException e) {
      conditions.remove(status, AckCondition.RECOVERABLE);
      conditions.set(status, AckCondition.TERMINAL, true, null, e.getMessage());
      conditions.set(status, AckCondition.RESOURCE_SYNCED, false, null, e.getMessage());
      // Looked at again when its resource syncs, on a spec change, and at the resync period.
      return written(export, context.getClient()).rescheduleAfter(resyncPeriod);
    } catch (Waiting e) {
      conditions.remove(status, AckCondition.TERMINAL);
      conditions.set(status, AckCondition.RECOVERABLE, true, null, e.getMessage());
      conditions.set(status, AckCondition.RESOURCE_SYNCED, false, null, e.getMessage());
      return written(export, context.getClient()).rescheduleAfter(conditions.waitingPeriod(status));
    }
  }

  /** Nothing to undo: the exported value stays where it was written, as in ACK. */
  @Override
  public DeleteControl cleanup(FieldExport export, Context<FieldExport> context) {
    return DeleteControl.defaultDelete();
  }

  /** Exports the value; returns it when it was written, null when the target had it already. */
  private String export(FieldExport export, KubernetesClient client) {
    FieldExportSpec.Resource from = source(export);
    String namespace = export.getMetadata().getNamespace();
    FieldExportSpec.Target to = export.getSpec().getTo();
    String targetNamespace =
        to.getNamespace() == null || to.getNamespace().isBlank() ? namespace : to.getNamespace();
    AckStatus status = export.getStatus();
    if (targetNamespace.equals(namespace)) {
      conditions.remove(status, AckCondition.ADVISORY);
    } else if (!crossNamespace) {
      throw new TerminalException(
          "spec.to.namespace is "
              + targetNamespace
              + ": writing into another namespace than the FieldExport's ("
              + namespace
              + ") needs the controller's --enable-cross-namespace=true (off by default, as in"
              + " ACK); create the FieldExport there, or leave spec.to.namespace out");
    } else {
      conditions.set(
          status,
          AckCondition.ADVISORY,
          true,
          References.CROSS_NAMESPACE_REASON,
          "Writes into namespace "
              + targetNamespace
              + ", allowed because the controller runs with --enable-cross-namespace");
    }
    // Every sync of the resource wakes this export again, so a changed value is copied at once.
    watch.await(
        ReferenceWatch.key(from.getGroup(), kindName(from), namespace, from.getName()),
        wakeUps,
        ResourceID.fromResource(export));
    CustomResource<?, ?> resource =
        client
            .resources(kinds.get(kindKey(from.getGroup(), from.getKind())))
            .inNamespace(namespace)
            .withName(from.getName())
            .get();
    if (resource == null) {
      throw new Waiting(
          "The "
              + from.getKind()
              + " "
              + from.getName()
              + " does not exist in namespace "
              + namespace
              + "; the export waits for it");
    }
    JsonNode tree = JSON.valueToTree(resource);
    if (!References.isSynced(tree.path("status").path("conditions"))) {
      throw new Waiting(
          "The " + from.getKind() + " " + from.getName() + " is not synced yet; the export waits");
    }
    String value = select(tree, export.getSpec().getFrom().getPath(), from);
    String key =
        to.getKey() == null || to.getKey().isBlank()
            ? namespace + "." + export.getMetadata().getName()
            : to.getKey();
    boolean written =
        "secret".equalsIgnoreCase(to.getKind())
            ? writeSecret(client, targetNamespace, to.getName(), key, value)
            : writeConfigMap(client, targetNamespace, to.getName(), key, value);
    return written ? value : null;
  }

  /** The one string, number or boolean the jq path selects. */
  static String select(JsonNode resource, String path, FieldExportSpec.Resource from) {
    List<JsonNode> results = new ArrayList<>();
    try {
      JsonQuery.compile(path, Versions.JQ_1_6)
          .apply(Scope.newChildScope(Jq.BUILTINS), resource, results::add);
    } catch (JsonQueryException e) {
      throw new TerminalException(
          "spec.from.path '"
              + path
              + "' is not a jq path such as .status.queueURL: "
              + e.getMessage());
    }
    JsonNode value = results.isEmpty() ? null : results.get(0);
    if (value == null || value.isNull() || value.isMissingNode()) {
      throw new TerminalException(
          "spec.from.path '"
              + path
              + "' selects nothing in the "
              + from.getKind()
              + " "
              + from.getName()
              + "; check the field's name (kubectl get -o yaml shows them)");
    }
    if (value.isContainerNode()) {
      throw new TerminalException(
          "spec.from.path '"
              + path
              + "' selects "
              + (value.isArray() ? "a list" : "an object")
              + "; a FieldExport exports one string, number or boolean");
    }
    return value.asText();
  }

  private static boolean writeConfigMap(
      KubernetesClient client, String namespace, String name, String key, String value) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      throw new Waiting(
          "The ConfigMap "
              + name
              + " does not exist in namespace "
              + namespace
              + "; create it (jack writes into an existing one only)");
    }
    if (map.getData() != null && value.equals(map.getData().get(key))) {
      return false;
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("data").put(key, value);
    client
        .configMaps()
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    return true;
  }

  private static boolean writeSecret(
      KubernetesClient client, String namespace, String name, String key, String value) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new Waiting(
          "The Secret "
              + name
              + " does not exist in namespace "
              + namespace
              + "; create it (jack writes into an existing one only)");
    }
    String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    if (secret.getData() != null && encoded.equals(secret.getData().get(key))) {
      return false;
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("data").put(key, encoded);
    client
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    return true;
  }

  private String kindName(FieldExportSpec.Resource from) {
    Class<? extends CustomResource<?, ?>> type =
        kinds.get(kindKey(from.getGroup(), from.getKind()));
    return io.fabric8.kubernetes.api.model.HasMetadata.getKind(type);
  }

  private static FieldExportSpec.Resource source(FieldExport export) {
    return export.getSpec() == null || export.getSpec().getFrom() == null
        ? null
        : export.getSpec().getFrom().getResource();
  }

  private static String describe(FieldExport export) {
    FieldExportSpec spec = export.getSpec();
    return spec.getFrom().getPath()
        + " of "
        + spec.getFrom().getResource().getKind()
        + " "
        + spec.getFrom().getResource().getName()
        + " to "
        + spec.getTo().getKind().toLowerCase(Locale.ROOT)
        + " "
        + spec.getTo().getName();
  }

  /** Writes the status as the resource reconciler does ({@link StatusPatch}). */
  private static UpdateControl<FieldExport> written(FieldExport export, KubernetesClient client) {
    Conditions.stamp(export.getStatus(), export.getMetadata().getGeneration());
    StatusPatch.write(client, export, export.getStatus());
    return UpdateControl.noUpdate();
  }

  /** Something the export waits for: reported as recoverable, looked at again with backoff. */
  private static final class Waiting extends RuntimeException {
    Waiting(String message) {
      super(message);
    }
  }
}

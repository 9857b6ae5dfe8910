package dev.jack.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.AckCondition;
import dev.jack.api.AckResourceMetadata;
import dev.jack.api.AckStatus;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import dev.jack.runtime.AwsErrors.Kind;
import dev.jack.runtime.EventRecorder.Reason;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler of every kind, with ACK's semantics: find the resource in AWS, create it when
 * missing (recording its identifiers at once), update what differs from the spec, late-initialize
 * AWS's defaults, set ACK's conditions, repair drift at every resync, and on deletion delete it in
 * AWS (unless retained) before the finalizer goes.
 */
public final class AwsResourceReconciler<R extends CustomResource<?, ? extends AckStatus>>
    implements Reconciler<R>, Cleaner<R> {

  public static final String REGION_ANNOTATION = "services.k8s.aws/region";
  public static final String DEFAULT_REGION_ANNOTATION = "services.k8s.aws/default-region";
  public static final String DELETION_POLICY_ANNOTATION = "services.k8s.aws/deletion-policy";

  /** jack's own: any change of this annotation's value starts a drift check now. */
  public static final String REFRESH_ANNOTATION = "jack.dev/refresh";

  /** jack's own: this resource's drift check period in seconds, instead of its kind's. */
  public static final String RESYNC_ANNOTATION = "jack.dev/resync-seconds";

  private static final Logger LOG = LoggerFactory.getLogger(AwsResourceReconciler.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Duration DELETE_CONFIRM_DELAY = Duration.ofSeconds(5);

  private final Class<R> resourceClass;
  private final AwsService service;
  private final KindDescriptor descriptor;
  private final ResourceManager manager;
  private final SdkMapper mapper;
  private final AwsClients clients;
  private final ControllerSettings settings;
  private final EventRecorder events;
  private final Conditions conditions;
  private final ApiMetrics metrics;

  public AwsResourceReconciler(
      Class<R> resourceClass,
      AwsService service,
      ResourceManager manager,
      AwsClients clients,
      ControllerSettings settings,
      EventRecorder events,
      Conditions conditions,
      ApiMetrics metrics) {
    this.resourceClass = resourceClass;
    this.service = service;
    this.descriptor = KindDescriptor.of(resourceClass);
    this.manager = manager;
    this.mapper = new SdkMapper(descriptor.shapes());
    this.clients = clients;
    this.settings = settings;
    this.events = events;
    this.conditions = conditions;
    this.metrics = metrics;
  }

  public Class<R> resourceClass() {
    return resourceClass;
  }

  public KindDescriptor descriptor() {
    return descriptor;
  }

  /** {@code finalizers.<group>/<Kind>}, as ACK names it. */
  public String finalizer() {
    return "finalizers." + descriptor.group() + "/" + descriptor.kind();
  }

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    Instant start = Instant.now();
    LOG.debug(
        "reconciling {} {}/{} generation {} resourceVersion {}",
        descriptor.kind(),
        namespace(resource),
        name(resource),
        resource.getMetadata().getGeneration(),
        resource.getMetadata().getResourceVersion());
    AckStatus status = status(resource);
    KubernetesClient client = context.getClient();
    String region = region(resource, client);
    AwsContext aws = awsContext(resource, region);
    ResourceState desired = desiredState(resource);

    Optional<ResourceState> found = manager.readOne(desired, aws);
    ResourceState latest;
    if (found.isEmpty()) {
      ResourceState created = manager.create(desired, aws);
      events.normal(
          resource,
          Reason.Created,
          "Created the " + descriptor.kind() + " in AWS (" + region + ")");
      recordIdentity(resource, status, created, aws);
      writeStatusNow(resource, client);
      latest = manager.readOne(merge(desired, created), aws).orElse(created);
    } else {
      latest = found.get();
      Delta delta = delta(desired, latest);
      if (!delta.isEmpty()) {
        rejectImmutableChanges(delta, desired, latest);
        latest = manager.update(desired, latest, delta, aws);
        events.normal(
            resource, Reason.Updated, "Updated " + String.join(", ", delta.fields()) + " in AWS");
      }
    }

    recordIdentity(resource, status, latest, aws);
    lateInitialize(resource, desired, latest, client);
    conditions.remove(status, AckCondition.TERMINAL);
    conditions.remove(status, AckCondition.RECOVERABLE);
    conditions.set(
        status, AckCondition.RESOURCE_SYNCED, true, null, "Resource synced successfully");
    conditions.set(status, AckCondition.READY, true, null, "Resource is ready");
    metrics.reconcile(descriptor.kind(), "synced", Duration.between(start, Instant.now()));
    return UpdateControl.patchStatus(forStatusPatch(resource))
        .rescheduleAfter(resyncPeriod(resource));
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(
      R resource, Context<R> context, Exception e) {
    AckStatus status = status(resource);
    Kind kind = AwsErrors.classify(e, descriptor.terminalCodes());
    String message = AwsErrors.describe(e);
    conditions.set(
        status, AckCondition.RESOURCE_SYNCED, false, null, "Resource not synced: " + message);
    conditions.set(status, AckCondition.READY, false, null, "Resource not ready: " + message);
    metrics.reconcile(descriptor.kind(), kind.name().toLowerCase(), Duration.ZERO);
    switch (kind) {
      case TERMINAL -> {
        conditions.remove(status, AckCondition.RECOVERABLE);
        conditions.set(status, AckCondition.TERMINAL, true, AwsErrors.errorCode(e), message);
        events.warning(resource, Reason.Terminal, message);
        LOG.info(
            "{} {}/{} is terminal: {}",
            descriptor.kind(),
            namespace(resource),
            name(resource),
            message);
        return ErrorStatusUpdateControl.patchStatus(forStatusPatch(resource)).withNoRetry();
      }
      case NOT_IMPLEMENTED -> {
        String text =
            "The AWS endpoint does not implement a call this kind needs ("
                + message
                + "); jack retries at the resync period";
        conditions.remove(status, AckCondition.TERMINAL);
        conditions.set(status, AckCondition.RECOVERABLE, true, "NotImplemented", text);
        events.warning(resource, Reason.NotImplemented, text);
        return ErrorStatusUpdateControl.patchStatus(forStatusPatch(resource))
            .withNoRetry()
            .rescheduleAfter(settings.resyncPeriod(descriptor.kind()));
      }
      default -> {
        conditions.remove(status, AckCondition.TERMINAL);
        conditions.set(status, AckCondition.RECOVERABLE, true, AwsErrors.errorCode(e), message);
        events.warning(resource, Reason.Recoverable, message);
        LOG.info(
            "{} {}/{} will be retried: {}",
            descriptor.kind(),
            namespace(resource),
            name(resource),
            message);
        return ErrorStatusUpdateControl.patchStatus(forStatusPatch(resource));
      }
    }
  }

  /**
   * Prepares a resource for JOSDK's server-side apply of its status: without managed fields, which
   * an apply must not carry, and without a resource version, so that a change of the resource
   * during the reconcile (an annotation, a label) does not fail the status write.
   */
  private static <T extends CustomResource<?, ?>> T forStatusPatch(T resource) {
    resource.getMetadata().setManagedFields(null);
    resource.getMetadata().setResourceVersion(null);
    return resource;
  }

  @Override
  public DeleteControl cleanup(R resource, Context<R> context) {
    KubernetesClient client = context.getClient();
    Namespace namespace = client.namespaces().withName(namespace(resource)).get();
    if (deletionPolicy(resource, namespace) == DeletionPolicy.RETAIN) {
      events.normal(
          resource,
          Reason.Retained,
          "Kept the " + descriptor.kind() + " in AWS: the deletion policy is retain");
      return DeleteControl.defaultDelete();
    }
    try {
      String region = region(resource, namespace);
      AwsContext aws = awsContext(resource, region);
      ResourceState known = desiredState(resource);
      if (!manager.exists(known, aws)) {
        return DeleteControl.defaultDelete();
      }
      manager.delete(known, aws);
      events.normal(resource, Reason.Deleted, "Deleted the " + descriptor.kind() + " in AWS");
      if (!manager.exists(known, aws)) {
        return DeleteControl.defaultDelete();
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETE_CONFIRM_DELAY);
    } catch (RuntimeException e) {
      String message = AwsErrors.describe(e);
      events.warning(resource, Reason.DeleteFailed, message);
      LOG.info(
          "{} {}/{}: delete failed, retrying: {}",
          descriptor.kind(),
          namespace(resource),
          name(resource),
          message);
      Duration retry =
          AwsErrors.classify(e) == Kind.RECOVERABLE
              ? Duration.ofSeconds(10)
              : Duration.ofMinutes(5);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry);
    }
  }

  // --- state ---

  private ResourceState desiredState(R resource) {
    ObjectNode spec = JSON.valueToTree(resource.getSpec());
    AckStatus status = status(resource);
    ObjectNode statusJson = JSON.valueToTree(status);
    statusJson.remove("conditions");
    statusJson.remove("ackResourceMetadata");
    String arn =
        status.getAckResourceMetadata() == null ? null : status.getAckResourceMetadata().getArn();
    return new ResourceState(spec, statusJson, arn);
  }

  private static ResourceState merge(ResourceState desired, ResourceState created) {
    ResourceState merged = desired.copy();
    merged.status().setAll(created.status());
    if (created.arn() != null) {
      merged.setArn(created.arn());
    }
    return merged;
  }

  private Delta delta(ResourceState desired, ResourceState latest) {
    TagsDescriptor tags = descriptor.tags();
    if (tags == null) {
      return Delta.between(desired.spec(), latest.spec(), null, null, null);
    }
    String key =
        tags.keyMember() == null
            ? null
            : Character.toLowerCase(tags.keyMember().charAt(0)) + tags.keyMember().substring(1);
    String value =
        tags.valueMember() == null
            ? null
            : Character.toLowerCase(tags.valueMember().charAt(0)) + tags.valueMember().substring(1);
    return Delta.between(desired.spec(), latest.spec(), tags.path(), key, value);
  }

  private void rejectImmutableChanges(Delta delta, ResourceState desired, ResourceState latest) {
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      if (field.immutable() && delta.contains(field.name())) {
        throw new TerminalException(
            "spec."
                + field.name()
                + " cannot change once the resource exists: AWS has "
                + latest.spec().path(field.name())
                + ", the spec asks for "
                + desired.spec().path(field.name())
                + ". Restore the original value, or delete and recreate the resource.");
      }
    }
  }

  /**
   * Copies AWS's values of the configured fields into a spec that leaves them unset. The patch
   * names only those fields, so jack owns nothing else of the spec.
   */
  private void lateInitialize(
      R resource, ResourceState desired, ResourceState latest, KubernetesClient client) {
    ObjectNode values = JSON.createObjectNode();
    for (String field : descriptor.lateInitialize()) {
      JsonNode mine = desired.spec().get(field);
      JsonNode theirs = latest.spec().get(field);
      if ((mine == null || mine.isNull()) && theirs != null && !theirs.isNull()) {
        values.set(field, theirs);
      }
    }
    if (values.isEmpty()) {
      return;
    }
    ObjectNode patch = JSON.createObjectNode();
    patch.set("spec", values);
    R patched =
        client.resource(resource).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    resource.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
    try {
      JSON.updateValue(resource.getSpec(), values);
    } catch (Exception e) {
      throw new IllegalStateException("cannot late-initialize " + values, e);
    }
    List<String> names = new ArrayList<>();
    values.fieldNames().forEachRemaining(names::add);
    conditions.set(
        status(resource),
        AckCondition.LATE_INITIALIZED,
        true,
        null,
        "Late initialized " + String.join(", ", names));
    events.normal(
        resource, Reason.LateInitialized, "Took AWS's defaults for " + String.join(", ", names));
  }

  private void recordIdentity(R resource, AckStatus status, ResourceState state, AwsContext aws) {
    AckResourceMetadata metadata = status.getAckResourceMetadata();
    if (metadata == null) {
      metadata = new AckResourceMetadata();
      status.setAckResourceMetadata(metadata);
    }
    metadata.setRegion(aws.region());
    metadata.setOwnerAccountID(aws.accountId());
    if (state.arn() != null) {
      metadata.setArn(state.arn());
    }
    if (!state.status().isEmpty()) {
      try {
        JSON.updateValue(status, state.status());
      } catch (Exception e) {
        throw new IllegalStateException("cannot record the status of " + name(resource), e);
      }
    }
  }

  /**
   * Writes the status right away, in the middle of a reconcile: after a create, the identifiers
   * must be recorded before anything else can fail, so that no later attempt creates another.
   */
  private void writeStatusNow(R resource, KubernetesClient client) {
    R updated = client.resource(resource).updateStatus();
    resource.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
  }

  @SuppressWarnings("unchecked")
  private AckStatus status(R resource) {
    if (resource.getStatus() == null) {
      try {
        Class<?> statusClass =
            (Class<?>)
                ((ParameterizedType) resourceClass.getGenericSuperclass())
                    .getActualTypeArguments()[1];
        CustomResource<?, ?> untyped = resource;
        ((CustomResource<Object, Object>) untyped)
            .setStatus(statusClass.getConstructor().newInstance());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "cannot create the status of " + resourceClass.getName(), e);
      }
    }
    return resource.getStatus();
  }

  private AwsContext awsContext(R resource, String region) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(
        "services.k8s.aws/controller-version", service.name() + "-" + settings.controllerVersion());
    tags.put("services.k8s.aws/namespace", namespace(resource));
    return new AwsContext(
        clients.api(service, region), region, clients.accountId(region), descriptor, mapper, tags);
  }

  private String region(R resource, KubernetesClient client) {
    String annotated = annotation(resource, REGION_ANNOTATION);
    if (annotated != null) {
      return annotated;
    }
    return region(resource, client.namespaces().withName(namespace(resource)).get());
  }

  private String region(R resource, Namespace namespace) {
    String annotated = annotation(resource, REGION_ANNOTATION);
    if (annotated != null) {
      return annotated;
    }
    if (namespace != null && namespace.getMetadata().getAnnotations() != null) {
      String byNamespace = namespace.getMetadata().getAnnotations().get(DEFAULT_REGION_ANNOTATION);
      if (byNamespace != null && !byNamespace.isBlank()) {
        return byNamespace;
      }
    }
    return settings.region();
  }

  private DeletionPolicy deletionPolicy(R resource, Namespace namespace) {
    String annotated = annotation(resource, DELETION_POLICY_ANNOTATION);
    if (annotated != null) {
      return DeletionPolicy.parse(annotated, DELETION_POLICY_ANNOTATION);
    }
    if (namespace != null && namespace.getMetadata().getAnnotations() != null) {
      String key = descriptor.service() + ".services.k8s.aws/deletion-policy";
      String byNamespace = namespace.getMetadata().getAnnotations().get(key);
      if (byNamespace != null) {
        return DeletionPolicy.parse(byNamespace, key + " on namespace " + namespace(resource));
      }
    }
    return settings.deletionPolicy();
  }

  /** The resource's own resync period, or its kind's; a bad value is a terminal error. */
  private Duration resyncPeriod(R resource) {
    String annotated = annotation(resource, RESYNC_ANNOTATION);
    if (annotated == null) {
      return settings.resyncPeriod(descriptor.kind());
    }
    try {
      long seconds = Long.parseLong(annotated.trim());
      if (seconds > 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new TerminalException(
        RESYNC_ANNOTATION + " must be a positive number of seconds, not '" + annotated + "'");
  }

  private static String annotation(CustomResource<?, ?> resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(key);
    return value == null || value.isBlank() ? null : value;
  }

  private static String namespace(CustomResource<?, ?> resource) {
    return resource.getMetadata().getNamespace();
  }

  private static String name(CustomResource<?, ?> resource) {
    return resource.getMetadata().getName();
  }
}

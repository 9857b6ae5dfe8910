package dev.jack.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.AckCondition;
import dev.jack.api.AckResourceMetadata;
import dev.jack.api.AckStatus;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.runtime.AwsErrors.Kind;
import dev.jack.runtime.EventRecorder.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler of every kind, with ACK's semantics: find the resource in AWS, create it when
 * missing (recording its identifiers at once), update what differs from the spec, late-initialize
 * AWS's defaults, set ACK's conditions, repair drift at every resync, and on deletion delete it in
 * AWS (unless retained) before the finalizer goes.
 *
 * <p>Every event of a resource comes to {@link #reconcile} (the Operator SDK's all-events mode), a
 * deletion included: jack adds its finalizer itself, in the write that claims what it is about to
 * create (or adopt), so that a create costs no write of its own for the finalizer, and a resource
 * that never reached AWS (waiting for a reference, say) is deleted at once.
 */
public final class AwsResourceReconciler<R extends CustomResource<?, ? extends AckStatus>>
    implements Reconciler<R> {

  /** The field manager of every write jack makes to its resources (JOSDK's writes included). */
  public static final String FIELD_MANAGER = "jack-controller";

  public static final String REGION_ANNOTATION = "services.k8s.aws/region";
  public static final String DEFAULT_REGION_ANNOTATION = "services.k8s.aws/default-region";
  public static final String DELETION_POLICY_ANNOTATION = "services.k8s.aws/deletion-policy";

  /** On a namespace: the AWS endpoint of its resources, instead of {@code --aws-endpoint-url}. */
  public static final String ENDPOINT_URL_ANNOTATION = "services.k8s.aws/endpoint-url";

  /** jack's own: any change of this annotation's value starts a drift check now. */
  public static final String REFRESH_ANNOTATION = "jack.dev/refresh";

  /** Written by jack: the generation its late initialization made (no reconcile needed for it). */
  public static final String LATE_INITIALIZED_GENERATION_ANNOTATION =
      "jack.dev/late-initialized-generation";

  /**
   * The annotations jack writes as records of its own (what it owns, its late initialization, the
   * adoption fields, a read-only observation): a change of them is no reason to reconcile.
   */
  public static final Set<String> RECORD_ANNOTATIONS =
      Set.of(
          Ownership.ANNOTATION,
          Claim.ANNOTATION,
          LATE_INITIALIZED_GENERATION_ANNOTATION,
          Stewardship.ADOPTION_FIELDS_RECORD,
          Stewardship.OBSERVED);

  /** jack's own: {@code "true"} stops every AWS call for the resource until it is removed. */
  public static final String PAUSE_ANNOTATION = "jack.dev/paused";

  /** jack's own condition: the resource is paused. */
  public static final String PAUSED_CONDITION = "jack.dev/Paused";

  /**
   * jack's own condition: its message is the {@code jack.dev/refresh} value whose drift check was
   * done, so that a tool can wait for the check it asked for.
   */
  public static final String REFRESHED_CONDITION = "jack.dev/Refreshed";

  /** jack's own: this resource's drift check period in seconds, instead of its kind's. */
  public static final String RESYNC_ANNOTATION = "jack.dev/resync-seconds";

  private static final Logger LOG = LoggerFactory.getLogger(AwsResourceReconciler.class);

  /** The reason of ResourceSynced between a create and the first read that shows the resource. */
  static final String CREATED_NOT_SEEN = "CreatedNotYetSeen";

  // A field that ACK types as one value of an AWS list (a FlowLog's flowLogID) takes its element.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
          .enable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT);
  private static final Duration DELETE_CONFIRM_DELAY = Duration.ofSeconds(5);

  /**
   * The status the reconcile on this thread started from (as stored: the last write caught up), or
   * as it last wrote it: a status write that would change nothing is not sent.
   */
  private static final ThreadLocal<JsonNode> STATUS_STORED = new ThreadLocal<>();

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
  private final References references;
  private final Secrets secrets;
  private final Convergence convergence;
  private final ReferenceWatch referenceWatch;
  private final ReferenceWatch.WakeUps<R> wakeUps;
  private final Stewardship stewardship;
  private final AccountRoles accountRoles;
  private final Namespaces namespaces;
  private final LastWrites lastWrites = new LastWrites();
  private final ResourcePolicy policy;
  private final ReconcileShare share;

  /**
   * @param share the kind's share of reconciles, which each reconcile runs in
   */
  public AwsResourceReconciler(
      Class<R> resourceClass,
      AwsService service,
      ResourceManager manager,
      AwsClients clients,
      ControllerSettings settings,
      EventRecorder events,
      Conditions conditions,
      ApiMetrics metrics,
      ReferenceWatch referenceWatch,
      AccountRoles accountRoles,
      Namespaces namespaces,
      ReconcileShare share) {
    this.resourceClass = resourceClass;
    this.service = service;
    this.descriptor = KindDescriptor.of(resourceClass);
    this.manager = manager;
    this.mapper = new SdkMapper(descriptor.shapes(), resourceClass.getClassLoader());
    this.clients = clients;
    this.settings = settings;
    this.events = events;
    this.conditions = conditions;
    this.metrics = metrics;
    this.references = new References(descriptor, settings.crossNamespace());
    this.secrets = new Secrets(descriptor, settings.crossNamespace());
    this.convergence = new Convergence(descriptor);
    this.referenceWatch = referenceWatch;
    this.wakeUps = new ReferenceWatch.WakeUps<>("wake-ups");
    this.stewardship = new Stewardship(descriptor, settings.featureGates());
    this.accountRoles = accountRoles;
    this.namespaces = namespaces;
    this.policy = new ResourcePolicy(descriptor.kind(), descriptor.service(), settings);
    this.share = share;
  }

  @Override
  public List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
    return List.of(wakeUps);
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
    if (context.isPrimaryResourceDeleted()) {
      forget(resource);
      return UpdateControl.noUpdate();
    }
    if (resource.isMarkedForDeletion()) {
      // Without jack's finalizer, nothing of jack's is in AWS.
      return resource.hasFinalizer(finalizer())
          ? onThisThread(() -> delete(resource, context))
          : UpdateControl.noUpdate();
    }
    return onThisThread(() -> sync(resource, context));
  }

  /**
   * How long until the resource's turn when it is better put back until then, or null to go ahead:
   * AWS throttles its service in its region and account, its turn is far, and the kind's places
   * that may wait for a turn are taken. Its place then goes to the kind's resources elsewhere.
   */
  private Duration putBack(R resource, AwsContext aws) {
    Duration turn = aws.api().nextTurn();
    if (share.mayWait(turn)) {
      return null;
    }
    LOG.debug(
        "{} {}/{} waits {} ms for its turn at the {} rate limiter",
        descriptor.kind(),
        namespace(resource),
        name(resource),
        turn.toMillis(),
        service.name());
    return turn;
  }

  /**
   * Runs a reconcile or a delete in a place of the kind's share, and forgets its stored status when
   * it ends.
   */
  private <T> T onThisThread(Supplier<T> work) {
    return share.run(
        () -> {
          try {
            return work.get();
          } finally {
            STATUS_STORED.remove();
          }
        });
  }

  private UpdateControl<R> sync(R resource, Context<R> context) {
    Instant start = Instant.now();
    LOG.debug(
        "reconciling {} {}/{} generation {} resourceVersion {}",
        descriptor.kind(),
        namespace(resource),
        name(resource),
        resource.getMetadata().getGeneration(),
        resource.getMetadata().getResourceVersion());
    KubernetesClient client = context.getClient();
    lastWrites.catchUp(resource, client);
    STATUS_STORED.set(JSON.valueToTree(resource.getStatus()));
    AckStatus status = status(resource);
    if (paused(resource, status)) {
      return statusWritten(resource, client);
    }
    boolean readOnly = stewardship.readOnly(resource);
    // jack manages what it created, what ACK created before it (both recorded the metadata), and
    // what it adopted; never what it only observed read-only.
    boolean managed =
        (status.getAckResourceMetadata() != null || Stewardship.adopted(resource))
            && !Stewardship.observedOnly(resource);
    Stewardship.Policy adoption = readOnly || managed ? null : stewardship.policy(resource);
    if (managed && !readOnly && !writeRecords(resource, Map.of(), true, client)) {
      // jack's finalizer, lost (removed by hand): back before anything is written to AWS.
      return UpdateControl.<R>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    }
    // Where a resource is created is decided once, from the namespace as it is now.
    Namespace namespace =
        status.getAckResourceMetadata() == null
            ? namespaces.read(namespace(resource))
            : namespaces.get(namespace(resource));
    String region = policy.region(resource, namespace, status);
    AwsContext aws = awsContext(resource, region, namespace);
    policy.checkAccount(status, aws.accountId());
    Duration later = putBack(resource, aws);
    if (later != null) {
      return UpdateControl.<R>noUpdate().rescheduleAfter(later);
    }
    ResourceState desired = desiredState(resource);
    if (adoption != null || readOnly) {
      stewardship.applyFields(resource, desired);
    }
    desired.setReadEverything(adoption == Stewardship.Policy.ADOPT);
    if (!resolveReferences(resource, status, desired, client)) {
      return notSynced(resource, client, "references", conditions.waitingPeriod(status));
    }
    // A read-only resource sends nothing to AWS: jack has no need of its Secrets.
    if (!readOnly && !resolveSecrets(resource, status, desired, client)) {
      return notSynced(resource, client, "secrets", conditions.waitingPeriod(status));
    }

    Optional<ResourceState> found = manager.readOne(desired, aws);
    if (readOnly) {
      return observe(resource, status, desired, found, aws, client, start);
    }
    if (found.isPresent() && !managed && adoption == null) {
      throw notManaged(found.get());
    }
    if (found.isEmpty() && adoption == Stewardship.Policy.ADOPT) {
      throw new TerminalException(
          "The adoption policy is adopt, but AWS has no such "
              + descriptor.kind()
              + " in "
              + region
              + " (account "
              + aws.accountId()
              + "). Check the name or "
              + Stewardship.ADOPTION_FIELDS
              + ", or use adopt-or-create to create it when missing");
    }
    if (found.isEmpty() && managed && Stewardship.adopted(resource)) {
      setNotSynced(
          status,
          "The adopted "
              + descriptor.kind()
              + " is gone from AWS; jack does not create a resource it adopted. Remove the "
              + Stewardship.ADOPTED
              + " annotation to let jack create it anew");
      return notSynced(resource, client, "adopted gone", conditions.waitingPeriod(status));
    }
    if (found.isPresent() && adoption != null) {
      Optional<ResourceState> adopted =
          adopt(resource, status, desired, found.get(), adoption, aws, client);
      if (adopted.isEmpty()) {
        return notSynced(resource, client, "adopting", Duration.ofSeconds(1));
      }
      desired = adopted.get();
    }
    ResourceState latest;
    if (found.isEmpty() && createdNotSeen(status)) {
      // jack created it and no read has shown it yet: another create could duplicate it (AWS
      // assigns a new ID, or a new version, to each), so wait for the read, with backoff.
      setSyncedFalse(
          status,
          CREATED_NOT_SEEN,
          "Created the "
              + descriptor.kind()
              + ", but AWS does not show it to a read yet; jack does not create another. If it"
              + " was deleted in AWS meanwhile, delete this resource and apply it again");
      return notSynced(resource, client, "created", conditions.waitingPeriod(status));
    }
    if (found.isEmpty()) {
      Optional<ResourceState> claimed = createClaimed(resource, status, desired, aws, client);
      if (claimed.isEmpty()) {
        LOG.debug("{} changed before its create: creating from its new version", name(resource));
        return UpdateControl.<R>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
      }
      ResourceState created = claimed.get();
      events.normal(
          resource,
          Reason.Created,
          "Created the " + descriptor.kind() + " in AWS (" + region + ")");
      recordIdentity(resource, status, created, aws);
      // Until a read shows the resource, it is not created again.
      setSyncedFalse(
          status,
          CREATED_NOT_SEEN,
          "Created the " + descriptor.kind() + "; waiting for AWS to show it to a read");
      if (!descriptor.foundByName()) {
        // Written with the identifiers now: lost in a crash, they could never be found again.
        writeIdentityNow(resource, client);
      }
      desired = merge(desired, created);
      // The create applied what AWS never returns; only later changes of it are updates.
      desired.setOwned(convergence.appliedByCreate(desired));
      found = manager.readOne(desired, aws);
      if (found.isEmpty()) {
        // Eventual consistency: AWS has not shown the new resource to a read yet.
        return notSynced(resource, client, "created", Duration.ofSeconds(2));
      }
    }
    latest = found.get();
    recordIdentity(resource, status, latest, aws);

    Readiness readiness = Readiness.of(descriptor, latest);
    if (readiness.failed()) {
      throw new TerminalException(readiness.message());
    }
    if (!readiness.ready()) {
      setNotSynced(status, readiness.message());
      return notSynced(resource, client, "not ready", conditions.waitingPeriod(status));
    }

    Delta delta = convergence.delta(desired, latest);
    if (!delta.isEmpty()) {
      rejectImmutableChanges(delta, desired, latest);
      latest = manager.update(desired, latest, delta, aws);
      events.normal(
          resource, Reason.Updated, "Updated " + String.join(", ", delta.fields()) + " in AWS");
    }

    // What jack applied and AWS's defaults for what the spec leaves out: one write, where both.
    lateInitialize(resource, desired, latest, client);
    conditions.remove(status, AckCondition.TERMINAL);
    conditions.remove(status, AckCondition.RECOVERABLE);
    conditions.set(
        status, AckCondition.RESOURCE_SYNCED, true, null, "Resource synced successfully");
    conditions.set(status, AckCondition.READY, true, null, "Resource is ready");
    recordRefresh(resource, status);
    metrics.reconcile(descriptor.kind(), "synced", Duration.between(start, Instant.now()));
    referenceWatch.synced(
        ReferenceWatch.key(
            descriptor.group(), descriptor.kind(), namespace(resource), name(resource)));
    // After an update AWS may be busy applying it (a table UPDATING): look again soon.
    Duration next =
        !delta.isEmpty() && descriptor.ready() != null
            ? Duration.ofSeconds(5)
            : policy.resyncPeriod(resource);
    return statusWritten(resource, client).rescheduleAfter(next);
  }

  /**
   * Creates the resource, having first recorded, in one write, where it will live (the {@link
   * Claim}: region and account) and what jack applies to it ({@link #ownership}): a create whose
   * answer is lost (a timeout, a crash) leaves both, so the resource a later read finds by name is
   * known to be jack's own, and what the create applied is known. A create AWS refused created
   * nothing, and the records go back to what they were.
   */
  private Optional<ResourceState> createClaimed(
      R resource,
      AckStatus status,
      ResourceState desired,
      AwsContext aws,
      KubernetesClient client) {
    boolean claiming = status.getAckResourceMetadata() == null;
    Map<String, String> before = new LinkedHashMap<>();
    Map<String, String> records = new LinkedHashMap<>();
    if (claiming) {
      records.put(Claim.ANNOTATION, Claim.value(resource, aws.region(), aws.accountId()));
      records.putAll(ownership(resource, desired, desired));
      records.keySet().forEach(key -> before.put(key, ResourcePolicy.annotation(resource, key)));
    }
    // The finalizer comes with the claim: nothing is created in AWS before it is on the resource.
    if (!writeRecords(resource, records, true, client)) {
      return Optional.empty();
    }
    if (claiming) {
      status.setAckResourceMetadata(Claim.of(resource));
    }
    try {
      return Optional.of(manager.create(desired, aws));
    } catch (RuntimeException e) {
      if (claiming && AwsErrors.createdNothing(e)) {
        writeAnnotations(resource, before, client);
        status.setAckResourceMetadata(null);
      }
      throw e;
    }
  }

  /**
   * An AWS resource with this resource's identifiers exists, but jack did not create it and no one
   * asked to adopt it: jack writes nothing to it (ACK reports this too).
   */
  private TerminalException notManaged(ResourceState latest) {
    String which = latest.arn() != null ? latest.arn() : "with these identifiers";
    return new TerminalException(
        "Resource already exists: AWS has a "
            + descriptor.kind()
            + " "
            + which
            + " that jack did not create, and jack does not take over what it did not create. To"
            + " manage it, set the annotation "
            + Stewardship.ADOPTION_POLICY
            + " to adopt (the spec takes AWS's values) or adopt-or-create (the spec is applied to"
            + " it); to only observe it, set "
            + Stewardship.READ_ONLY
            + ": \"true\"; or choose another name");
  }

  /**
   * Takes over the AWS resource the user asked to adopt: marks it adopted, and with {@code adopt}
   * fills the spec from AWS (only the generation jack read, as late initialization does), so that
   * nothing is written to AWS; with {@code adopt-or-create} the spec stays and is applied. Empty
   * when the resource changed since jack read it.
   */
  private Optional<ResourceState> adopt(
      R resource,
      AckStatus status,
      ResourceState desired,
      ResourceState latest,
      Stewardship.Policy policy,
      AwsContext aws,
      KubernetesClient client) {
    ObjectNode values =
        policy == Stewardship.Policy.ADOPT
            ? stewardship.adoptedSpec(desired, latest)
            : JSON.createObjectNode();
    if (!patchSpecAsRead(resource, values, Map.of(Stewardship.ADOPTED, "true"), true, client)) {
      LOG.debug("{} changed during its adoption: adopting again", name(resource));
      return Optional.empty();
    }
    ResourceState adopted = desired.copy();
    adopted.spec().setAll(values);
    recordIdentity(resource, status, latest, aws);
    // Recorded at once, as after a create: from now on the resource is jack's, whatever fails next.
    writeIdentityNow(resource, client);
    conditions.set(
        status,
        AckCondition.ADOPTED,
        true,
        null,
        "Adopted the " + descriptor.kind() + " that exists in AWS (" + policy.label() + ")");
    events.normal(
        resource,
        Reason.Adopted,
        "Adopted the "
            + descriptor.kind()
            + " from AWS"
            + (values.isEmpty()
                ? ""
                : "; the spec took AWS's " + String.join(", ", names(values))));
    return Optional.of(adopted);
  }

  /**
   * A read-only resource: reported as AWS has it, never written, never created. Whether AWS matches
   * the spec is reported too, so that a read-only copy shows drift.
   */
  private UpdateControl<R> observe(
      R resource,
      AckStatus status,
      ResourceState desired,
      Optional<ResourceState> found,
      AwsContext aws,
      KubernetesClient client,
      Instant start) {
    if (found.isEmpty()) {
      setNotSynced(
          status,
          "Read-only: AWS has no such "
              + descriptor.kind()
              + " in "
              + aws.region()
              + " (account "
              + aws.accountId()
              + "), and jack never creates a read-only resource. Check its name or "
              + Stewardship.ADOPTION_FIELDS);
      return notSynced(resource, client, "read-only missing", conditions.waitingPeriod(status));
    }
    ResourceState latest = found.get();
    boolean first = status.getAckResourceMetadata() == null;
    recordIdentity(resource, status, latest, aws);
    if (first && !Stewardship.observedOnly(resource)) {
      // The finalizer too: its deletion then says that the resource stays in AWS (Retained).
      if (!writeRecords(resource, Map.of(Stewardship.OBSERVED, "true"), true, client)) {
        return UpdateControl.<R>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
      }
      events.normal(
          resource,
          Reason.Observed,
          "Observing the " + descriptor.kind() + " in AWS read-only: jack never writes it");
    }
    conditions.remove(status, AckCondition.TERMINAL);
    conditions.remove(status, AckCondition.RECOVERABLE);
    Readiness readiness = Readiness.of(descriptor, latest);
    Delta delta = convergence.delta(desired, latest);
    if (!readiness.ready()) {
      setSyncedFalse(status, "ReadOnly", "Read-only: " + readiness.message());
    } else if (!delta.isEmpty()) {
      setSyncedFalse(
          status,
          "ReadOnly",
          "Read-only: AWS differs from the spec in "
              + String.join(", ", delta.fields())
              + "; jack does not write a read-only resource");
    } else {
      conditions.set(
          status, AckCondition.RESOURCE_SYNCED, true, "ReadOnly", "Read-only: as AWS has it");
      conditions.set(status, AckCondition.READY, true, "ReadOnly", "Resource is ready");
    }
    recordRefresh(resource, status);
    metrics.reconcile(descriptor.kind(), "read_only", Duration.between(start, Instant.now()));
    referenceWatch.synced(
        ReferenceWatch.key(
            descriptor.group(), descriptor.kind(), namespace(resource), name(resource)));
    Duration next =
        readiness.ready() ? policy.resyncPeriod(resource) : conditions.waitingPeriod(status);
    return statusWritten(resource, client).rescheduleAfter(next);
  }

  private static List<String> names(ObjectNode values) {
    List<String> names = new ArrayList<>();
    values.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * Whether the resource is paused ({@code jack.dev/paused: "true"}): then nothing is called in
   * AWS, and the status says so, until the annotation goes.
   */
  private boolean paused(R resource, AckStatus status) {
    if ("true".equalsIgnoreCase(ResourcePolicy.annotation(resource, PAUSE_ANNOTATION))) {
      conditions.set(
          status,
          PAUSED_CONDITION,
          true,
          "Paused",
          "Paused by the annotation "
              + PAUSE_ANNOTATION
              + ": jack makes no AWS call for this resource until it is removed");
      return true;
    }
    conditions.remove(status, PAUSED_CONDITION);
    return false;
  }

  /** Records which {@code jack.dev/refresh} value this completed drift check answered. */
  private void recordRefresh(R resource, AckStatus status) {
    String refresh = ResourcePolicy.annotation(resource, REFRESH_ANNOTATION);
    if (refresh != null) {
      conditions.set(status, REFRESHED_CONDITION, true, "Refreshed", refresh);
    }
  }

  /**
   * Replaces the references in {@code desired}'s spec by their values; false, with the conditions
   * set, when a referenced resource is not ready.
   */
  private boolean resolveReferences(
      R resource, AckStatus status, ResourceState desired, KubernetesClient client) {
    int resolved;
    try {
      References.Resolution resolution =
          references.resolve(desired.spec(), namespace(resource), client);
      resolved = resolution.count();
      desired.setResolvedReferences(resolution.values());
      crossNamespaceNotice(status, resolution.otherNamespaces());
    } catch (References.NotReady e) {
      referenceWatch.await(e.target(), wakeUps, ResourceID.fromResource(resource));
      conditions.set(status, AckCondition.REFERENCES_RESOLVED, false, null, e.getMessage());
      setNotSynced(status, e.getMessage());
      return false;
    }
    if (resolved > 0) {
      conditions.set(
          status,
          AckCondition.REFERENCES_RESOLVED,
          true,
          null,
          "Resolved " + resolved + (resolved == 1 ? " reference" : " references"));
    } else {
      conditions.remove(status, AckCondition.REFERENCES_RESOLVED);
    }
    return true;
  }

  /**
   * ACK's notice on a resource that references other namespaces (allowed by {@code
   * --enable-cross-namespace}): an ACK.Advisory with ACK's reason, so support tooling finds them.
   */
  private void crossNamespaceNotice(AckStatus status, List<String> others) {
    if (others.isEmpty()) {
      conditions.remove(status, AckCondition.ADVISORY);
      return;
    }
    conditions.set(
        status,
        AckCondition.ADVISORY,
        true,
        References.CROSS_NAMESPACE_REASON,
        "References into other namespaces ("
            + String.join(", ", others)
            + "), allowed because the controller runs with --enable-cross-namespace");
  }

  /**
   * Reads the values of the spec's Secret references into {@code desired}, for the requests to AWS
   * only; false, with ACK.Recoverable naming the Secret and key, when one is not there (yet). No
   * Secret is watched: a new value is applied at the next sync (a resync, or a change of the
   * resource).
   */
  private boolean resolveSecrets(
      R resource, AckStatus status, ResourceState desired, KubernetesClient client) {
    if (!secrets.any()) {
      return true;
    }
    try {
      desired.setSecrets(
          secrets.resolve(desired.spec(), namespace(resource), Secrets.reader(client)));
      return true;
    } catch (Secrets.Missing e) {
      // The message names the Secret and key, never a value.
      conditions.remove(status, AckCondition.TERMINAL);
      conditions.set(status, AckCondition.RECOVERABLE, true, "SecretNotFound", e.getMessage());
      setSyncedFalse(status, e.getMessage());
      events.warning(resource, Reason.Recoverable, e.getMessage());
      LOG.info(
          "{} {}/{} waits: {}",
          descriptor.kind(),
          namespace(resource),
          name(resource),
          e.getMessage());
      return false;
    }
  }

  private void setNotSynced(AckStatus status, String message) {
    conditions.remove(status, AckCondition.TERMINAL);
    conditions.remove(status, AckCondition.RECOVERABLE);
    setSyncedFalse(status, message);
  }

  private UpdateControl<R> notSynced(
      R resource, KubernetesClient client, String outcome, Duration retry) {
    metrics.reconcile(descriptor.kind(), outcome.replace(' ', '_'), Duration.ZERO);
    return statusWritten(resource, client).rescheduleAfter(retry);
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(
      R resource, Context<R> context, Exception e) {
    AckStatus status = status(resource);
    // Read before this failure sets the condition: how long the resource has been failing.
    Duration retry = conditions.failureBackoff(status);
    Kind kind = AwsErrors.classify(e, descriptor.terminalCodes());
    String message = AwsErrors.describe(e);
    conditions.set(
        status,
        AckCondition.RESOURCE_SYNCED,
        false,
        createdNotSeen(status) ? CREATED_NOT_SEEN : null,
        "Resource not synced: " + message);
    // As ACK sets it (kro reads Ready): the reason says which of Terminal or Recoverable holds.
    conditions.set(
        status,
        AckCondition.READY,
        false,
        kind == Kind.TERMINAL ? AckCondition.TERMINAL : AckCondition.RECOVERABLE,
        "Resource not ready: " + message);
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
        // Looked at again at the resync period (and at any spec change), never retried hot.
        writeStatusAfterError(resource, context.getClient());
        return ErrorStatusUpdateControl.<R>noStatusUpdate()
            .withNoRetry()
            .rescheduleAfter(policy.kindResyncPeriod());
      }
      case NOT_IMPLEMENTED -> {
        String text =
            "The AWS endpoint does not implement a call this kind needs ("
                + message
                + "); jack retries at the resync period";
        conditions.remove(status, AckCondition.TERMINAL);
        conditions.set(status, AckCondition.RECOVERABLE, true, "NotImplemented", text);
        events.warning(resource, Reason.NotImplemented, text);
        writeStatusAfterError(resource, context.getClient());
        return ErrorStatusUpdateControl.<R>noStatusUpdate()
            .withNoRetry()
            .rescheduleAfter(policy.kindResyncPeriod());
      }
      default -> {
        conditions.remove(status, AckCondition.TERMINAL);
        conditions.set(status, AckCondition.RECOVERABLE, true, AwsErrors.errorCode(e), message);
        events.warning(resource, Reason.Recoverable, message);
        LOG.info(
            "{} {}/{} will be retried in {} s: {}",
            descriptor.kind(),
            namespace(resource),
            name(resource),
            retry.toSeconds(),
            message);
        writeStatusAfterError(resource, context.getClient());
        // jack's backoff, not JOSDK's retry: it is read from the condition, so that a restart or
        // a leader change neither resets it nor makes it grow.
        return ErrorStatusUpdateControl.<R>noStatusUpdate().withNoRetry().rescheduleAfter(retry);
      }
    }
  }

  /** Writes the status and lets JOSDK write nothing more: the reconcile's usual end. */
  private UpdateControl<R> statusWritten(R resource, KubernetesClient client) {
    writeStatus(resource, client);
    return UpdateControl.noUpdate();
  }

  /** The error handler's status write: a failure of it is logged, and the retry goes on. */
  private void writeStatusAfterError(R resource, KubernetesClient client) {
    try {
      writeStatus(resource, client);
    } catch (KubernetesClientException e) {
      LOG.warn("cannot record the error in the status of {}: {}", name(resource), e.getMessage());
    }
  }

  /**
   * Writes the status ({@link StatusPatch}) and remembers the version written, so that the next
   * reconcile starts from it even if the informer has not shown it yet.
   */
  private void writeStatus(R resource, KubernetesClient client) {
    if (resource.getStatus() == null) {
      return;
    }
    Conditions.stamp(resource.getStatus(), resource.getMetadata().getGeneration());
    metrics
        .resources()
        .record(descriptor.kind(), namespace(resource), name(resource), resource.getStatus());
    JsonNode status = JSON.valueToTree(resource.getStatus());
    if (status.equals(STATUS_STORED.get())) {
      return; // the API server has it already: a converged resource's resync writes nothing
    }
    wrote(resource, StatusPatch.write(client, resource, resource.getStatus()));
    STATUS_STORED.set(status);
  }

  /** A write's answer: the resource goes on from its new version, which is remembered. */
  private void wrote(R resource, HasMetadata written) {
    resource.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    lastWrites.wrote(written);
  }

  /** Deletes in AWS what the resource stands for; once done (or retained), the finalizer goes. */
  private UpdateControl<R> delete(R resource, Context<R> context) {
    DeleteControl done = deleteFromAws(resource, context);
    if (done.isRemoveFinalizer()) {
      removeFinalizer(resource, context.getClient());
      return UpdateControl.noUpdate();
    }
    return done.getScheduleDelay()
        .map(delay -> UpdateControl.<R>noUpdate().rescheduleAfter(delay))
        .orElseGet(UpdateControl::noUpdate);
  }

  /**
   * Takes jack's finalizer off the resource, and only it: the patch names its place in the list and
   * checks it holds jack's, so that a finalizer another controller added or removed meanwhile is
   * left alone (the patch is then sent again, on the resource as it is now).
   */
  private void removeFinalizer(R resource, KubernetesClient client) {
    R current = resource;
    for (int attempt = 1; ; attempt++) {
      List<String> finalizers = current.getMetadata().getFinalizers();
      int index = finalizers == null ? -1 : finalizers.indexOf(finalizer());
      if (index < 0) {
        return;
      }
      String path = "/metadata/finalizers/" + index;
      ArrayNode patch = JSON.createArrayNode();
      patch.addObject().put("op", "test").put("path", path).put("value", finalizer());
      patch.addObject().put("op", "remove").put("path", path);
      try {
        client.resource(current).patch(PatchContext.of(PatchType.JSON), patch.toString());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if ((e.getCode() != 422 && e.getCode() != 409) || attempt == 3) {
          throw e;
        }
      }
      current = client.resource(resource).get();
      if (current == null) {
        return;
      }
    }
  }

  private DeleteControl deleteFromAws(R resource, Context<R> context) {
    KubernetesClient client = context.getClient();
    lastWrites.catchUp(resource, client);
    AckStatus status = status(resource);
    if (paused(resource, status)) {
      // The delete waits too: removing the annotation lets it go on.
      writeStatus(resource, client);
      return DeleteControl.noFinalizerRemoval();
    }
    if (stewardship.readOnly(resource) || Stewardship.observedOnly(resource)) {
      events.normal(
          resource,
          Reason.Retained,
          "Kept the " + descriptor.kind() + " in AWS: jack only observed it (read-only)");
      return released(resource);
    }
    if (status.getAckResourceMetadata() == null) {
      // jack never created it nor found it in AWS (a create that failed, an endpoint without the
      // kind's operations): there is nothing of jack's to delete.
      return released(resource);
    }
    if (descriptor.operations().delete() == null) {
      events.normal(
          resource,
          Reason.Retained,
          "Kept the "
              + descriptor.kind()
              + " in AWS: AWS has no operation that deletes it on its own; delete it there");
      return released(resource);
    }
    try {
      Namespace namespace = namespaces.read(namespace(resource));
      if (policy.deletionPolicy(resource, namespace) == DeletionPolicy.RETAIN) {
        events.normal(
            resource,
            Reason.Retained,
            "Kept the " + descriptor.kind() + " in AWS: the deletion policy is retain");
        return released(resource);
      }
      String region = status.getAckResourceMetadata().getRegion();
      AwsContext aws = awsContext(resource, region, namespace);
      // Credentials of another account would find nothing and let the resource go: an orphan.
      policy.checkAccount(status, aws.accountId());
      Duration later = putBack(resource, aws);
      if (later != null) {
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(later);
      }
      ResourceState known = desiredState(resource);
      // What the resource referenced may be gone already: use what its references resolved to.
      references.applyRecorded(known.spec(), known.owned().references());
      references.resolve(known.spec(), namespace(resource), client);
      if (!manager.exists(known, aws)) {
        return released(resource);
      }
      manager.delete(known, aws);
      events.normal(resource, Reason.Deleted, "Deleted the " + descriptor.kind() + " in AWS");
      if (!manager.exists(known, aws)) {
        return released(resource);
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETE_CONFIRM_DELAY);
    } catch (RuntimeException e) {
      return deleteFailed(resource, status, client, e);
    }
  }

  /** The finalizer goes: the resource leaves the gauge of resource states. */
  private DeleteControl released(R resource) {
    forget(resource);
    return DeleteControl.defaultDelete();
  }

  /** What jack holds of a resource that is gone, or about to go. */
  private void forget(R resource) {
    metrics.resources().forget(descriptor.kind(), namespace(resource), name(resource));
    lastWrites.forget(resource);
  }

  /**
   * A delete that failed ends clearly: a condition on the resource and an event say why, and it is
   * retried with a backoff (a terminal failure, such as a bad deletion-policy value, rarely; a fix
   * of the annotation or spec starts a new attempt at once).
   */
  private DeleteControl deleteFailed(
      R resource, AckStatus status, KubernetesClient client, RuntimeException e) {
    String message = "Cannot delete the " + descriptor.kind() + ": " + AwsErrors.describe(e);
    boolean terminal =
        e instanceof IllegalArgumentException
            || AwsErrors.classify(e, descriptor.terminalCodes()) == Kind.TERMINAL;
    Duration retry = terminal ? Duration.ofMinutes(5) : conditions.failureBackoff(status);
    conditions.remove(status, terminal ? AckCondition.RECOVERABLE : AckCondition.TERMINAL);
    conditions.set(
        status,
        terminal ? AckCondition.TERMINAL : AckCondition.RECOVERABLE,
        true,
        AwsErrors.errorCode(e),
        message);
    setSyncedFalse(status, message);
    conditions.set(
        status,
        AckCondition.READY,
        false,
        terminal ? AckCondition.TERMINAL : AckCondition.RECOVERABLE,
        message);
    events.warning(resource, Reason.DeleteFailed, message);
    LOG.info(
        "{} {}/{}: {}; retrying in {}s",
        descriptor.kind(),
        namespace(resource),
        name(resource),
        message,
        retry.toSeconds());
    try {
      writeStatus(resource, client);
    } catch (RuntimeException statusError) {
      LOG.debug("cannot record the failed delete in the status", statusError);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry);
  }

  /** Sets ResourceSynced and Ready false, keeping the mark of a create no read has shown. */
  private void setSyncedFalse(AckStatus status, String message) {
    setSyncedFalse(status, createdNotSeen(status) ? CREATED_NOT_SEEN : null, message);
  }

  private void setSyncedFalse(AckStatus status, String reason, String message) {
    conditions.set(status, AckCondition.RESOURCE_SYNCED, false, reason, message);
    conditions.set(status, AckCondition.READY, false, reason, message);
  }

  /** Whether jack created the resource and no read has shown it since. */
  private static boolean createdNotSeen(AckStatus status) {
    return status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    AckCondition.RESOURCE_SYNCED.equals(c.getType())
                        && CREATED_NOT_SEEN.equals(c.getReason()));
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
    ResourceState state = new ResourceState(spec, statusJson, arn);
    state.setOwned(Ownership.parse(ResourcePolicy.annotation(resource, Ownership.ANNOTATION)));
    state.setUid(resource.getMetadata().getUid());
    state.setClaimed(status.getAckResourceMetadata() != null);
    return state;
  }

  private static ResourceState merge(ResourceState desired, ResourceState created) {
    ResourceState merged = desired.copy();
    merged.status().setAll(created.status());
    if (created.arn() != null) {
      merged.setArn(created.arn());
    }
    return merged;
  }

  /**
   * The annotations that record what jack applied, so that a later removal from the spec is removed
   * in AWS and a change of a value AWS never returns is noticed; and the identifiers another
   * cluster adopts the resource with: those that change, a null value for one to remove.
   */
  private Map<String, String> ownership(R resource, ResourceState desired, ResourceState latest) {
    Map<String, String> wanted = new LinkedHashMap<>();
    wanted.put(Ownership.ANNOTATION, convergence.applied(desired).serialize());
    Map<String, String> fields = stewardship.adoptionFields(desired, latest);
    try {
      wanted.put(
          Stewardship.ADOPTION_FIELDS_RECORD,
          fields.isEmpty() ? null : JSON.writeValueAsString(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the adoption fields of " + name(resource), e);
    }
    Map<String, String> changes = new LinkedHashMap<>();
    wanted.forEach(
        (key, value) -> {
          if (!Objects.equals(value, ResourcePolicy.annotation(resource, key))) {
            changes.put(key, value);
          }
        });
    return changes;
  }

  /** Writes these annotations (a null value removes one) in one patch, when there are any. */
  private void writeAnnotations(R resource, Map<String, String> changes, KubernetesClient client) {
    if (!changes.isEmpty()) {
      writeRecords(resource, changes, false, client);
    }
  }

  /**
   * Writes these annotations and, with {@code finalizer}, jack's finalizer when the resource lacks
   * it, in one merge patch. A merge patch sets the finalizers as a whole list, so that one is sent
   * only if no one wrote the resource since jack read it (its resourceVersion); false when someone
   * did: the write that changed it brings the resource back to jack as it is now.
   */
  private boolean writeRecords(
      R resource, Map<String, String> changes, boolean finalizer, KubernetesClient client) {
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode metadata = patch.putObject("metadata");
    if (!changes.isEmpty()) {
      ObjectNode annotations = metadata.putObject("annotations");
      changes.forEach(annotations::put);
    }
    if (finalizer && !resource.hasFinalizer(finalizer())) {
      ArrayNode finalizers = metadata.putArray("finalizers");
      List<String> held = resource.getMetadata().getFinalizers();
      if (held != null) {
        held.forEach(finalizers::add);
      }
      finalizers.add(finalizer());
      metadata.put("resourceVersion", resource.getMetadata().getResourceVersion());
    }
    if (metadata.isEmpty()) {
      return true;
    }
    R patched;
    try {
      patched =
          client.resource(resource).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && metadata.has("resourceVersion")) {
        return false;
      }
      throw e;
    }
    wrote(resource, patched);
    resource.getMetadata().setAnnotations(patched.getMetadata().getAnnotations());
    resource.getMetadata().setFinalizers(patched.getMetadata().getFinalizers());
    return true;
  }

  /**
   * A change of a field AWS cannot change is Terminal, with ACK's message ("Immutable Spec fields
   * have been modified: ...", which ACK's tests and users look for) and what to do about it.
   */
  private void rejectImmutableChanges(Delta delta, ResourceState desired, ResourceState latest) {
    List<String> names = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      if (field.immutable() && delta.contains(field.name())) {
        names.add(field.awsName() != null ? field.awsName() : field.name());
        details.add(
            "spec."
                + field.name()
                + " cannot change once the resource exists: AWS has "
                + latest.spec().path(field.name())
                + ", the spec asks for "
                + desired.spec().path(field.name()));
      }
    }
    if (!names.isEmpty()) {
      throw new TerminalException(
          "Immutable Spec fields have been modified: "
              + String.join(",", names)
              + ". "
              + String.join("; ", details)
              + ". Restore the original value, or delete and recreate the resource.");
    }
  }

  /**
   * Copies AWS's values of the configured fields into a spec that leaves them unset, in the patch
   * that writes jack's records too ({@link #ownership}), or writes the records alone where they
   * changed. The patch names only those fields, so jack owns nothing else of the spec.
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
      writeAnnotations(resource, ownership(resource, desired, latest), client);
      return;
    }
    // The records of the spec the patch makes, which the next reconcile reads: written now, they
    // are not written again at the next drift check.
    ResourceState initialized = desired.copy();
    initialized.spec().setAll(values);
    if (!patchSpecAsRead(
        resource, values, ownership(resource, initialized, latest), false, client)) {
      LOG.debug("{} changed during the reconcile: late initialization waits", name(resource));
      // What jack applied is recorded whatever the user changed meanwhile.
      writeAnnotations(resource, ownership(resource, desired, latest), client);
      return;
    }
    try {
      JSON.updateValue(resource.getSpec(), values);
    } catch (Exception e) {
      throw new IllegalStateException("cannot late-initialize " + values, e);
    }
    List<String> names = names(values);
    conditions.set(
        status(resource),
        AckCondition.LATE_INITIALIZED,
        true,
        null,
        "Late initialized " + String.join(", ", names));
    events.normal(
        resource, Reason.LateInitialized, "Took AWS's defaults for " + String.join(", ", names));
  }

  /**
   * Writes jack's values into the spec (and these annotations), only if the spec is still the
   * generation jack read: a user's edit made meanwhile fails the patch (false), and the reconcile
   * of the new generation looks again, instead of jack overwriting what the user just set. (The
   * resource version would not do: jack's own status writes change it.) The generation the patch
   * makes is marked as jack's own, so that it starts no reconcile.
   */
  private boolean patchSpecAsRead(
      R resource,
      ObjectNode values,
      Map<String, String> annotations,
      boolean finalizer,
      KubernetesClient client) {
    long generation = resource.getMetadata().getGeneration();
    ArrayNode patch = JSON.createArrayNode();
    patch
        .addObject()
        .put("op", "test")
        .put("path", "/metadata/generation")
        .put("value", generation);
    values
        .fields()
        .forEachRemaining(
            e ->
                patch
                    .addObject()
                    .put("op", "add")
                    .put("path", "/spec/" + e.getKey())
                    .set("value", e.getValue()));
    Map<String, String> all = new LinkedHashMap<>(annotations);
    if (!values.isEmpty()) {
      all.put(LATE_INITIALIZED_GENERATION_ANNOTATION, String.valueOf(generation + 1));
    }
    Map<String, String> held = resource.getMetadata().getAnnotations();
    if (held == null || held.isEmpty()) {
      // No annotation to add to: the map goes whole, only if no one wrote the resource since
      // (an annotation added meanwhile would be lost).
      testUnchanged(patch, resource);
      ObjectNode map =
          patch
              .addObject()
              .put("op", "add")
              .put("path", "/metadata/annotations")
              .putObject("value");
      all.forEach(
          (key, value) -> {
            if (value != null) {
              map.put(key, value);
            }
          });
    } else {
      all.forEach(
          (key, value) -> {
            ObjectNode op =
                patch
                    .addObject()
                    .put("op", value == null ? "remove" : "add")
                    .put("path", "/metadata/annotations/" + key.replace("/", "~1"));
            if (value != null) {
              op.put("value", value);
            }
          });
    }
    if (finalizer && !resource.hasFinalizer(finalizer())) {
      List<String> finalizers = resource.getMetadata().getFinalizers();
      if (finalizers == null || finalizers.isEmpty()) {
        // A new list: only if no one added one since jack read the resource.
        testUnchanged(patch, resource);
        ArrayNode list = JSON.createArrayNode().add(finalizer());
        patch.addObject().put("op", "add").put("path", "/metadata/finalizers").set("value", list);
      } else {
        patch
            .addObject()
            .put("op", "add")
            .put("path", "/metadata/finalizers/-")
            .put("value", finalizer());
      }
    }
    R patched;
    try {
      patched = client.resource(resource).patch(PatchContext.of(PatchType.JSON), patch.toString());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 409) {
        return false;
      }
      throw e;
    }
    wrote(resource, patched);
    resource.getMetadata().setGeneration(patched.getMetadata().getGeneration());
    resource.getMetadata().setAnnotations(patched.getMetadata().getAnnotations());
    resource.getMetadata().setFinalizers(patched.getMetadata().getFinalizers());
    return true;
  }

  /**
   * A JSON patch operation that fails the patch if anyone wrote the resource since jack read it.
   */
  private static void testUnchanged(ArrayNode patch, HasMetadata resource) {
    patch
        .addObject()
        .put("op", "test")
        .put("path", "/metadata/resourceVersion")
        .put("value", resource.getMetadata().getResourceVersion());
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
        throw new IllegalStateException(
            "cannot record the status of " + name(resource) + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Writes the identifiers right away, in the middle of a reconcile: after a create, they must be
   * recorded before anything else can fail, so that no later attempt creates another. A conflict
   * (someone changed the resource meanwhile) is retried on the fresh resource.
   */
  private void writeIdentityNow(R resource, KubernetesClient client) {
    for (int attempt = 1; ; attempt++) {
      try {
        wrote(resource, client.resource(resource).updateStatus());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
        R fresh = client.resource(resource).get();
        if (fresh == null) {
          throw e;
        }
        resource.getMetadata().setResourceVersion(fresh.getMetadata().getResourceVersion());
      }
    }
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
    AckStatus status = resource.getStatus();
    if (status.getAckResourceMetadata() == null) {
      // A create claimed before its status was written (the answer lost, a crash): jack's own.
      status.setAckResourceMetadata(Claim.of(resource));
    }
    return status;
  }

  /**
   * The AWS side of the resource: its region, and the account of jack's credentials or, with CARM,
   * of the role its namespace maps to (no AWS call is made for a namespace whose role is unknown).
   */
  private AwsContext awsContext(R resource, String region, Namespace namespace) {
    AccountRoles.Role role = accountRoles.roleFor(namespace, resource);
    AckStatus status = status(resource);
    if (role != null && role.selector() != null) {
      conditions.set(
          status,
          AckCondition.IAM_ROLE_SELECTED,
          true,
          null,
          "IAMRoleSelector " + role.selector() + " selected " + role.arn());
    } else {
      conditions.remove(status, AckCondition.IAM_ROLE_SELECTED);
    }
    return new AwsContext(
        clients.api(service, region, role, ResourcePolicy.endpoint(namespace)),
        region,
        clients.accountId(region, role),
        descriptor,
        mapper,
        settings
            .resourceTags()
            .expand(
                service.name(),
                settings.controllerVersion(),
                descriptor.kind(),
                resource.getMetadata()));
  }

  private static String namespace(CustomResource<?, ?> resource) {
    return resource.getMetadata().getNamespace();
  }

  private static String name(CustomResource<?, ?> resource) {
    return resource.getMetadata().getName();
  }
}

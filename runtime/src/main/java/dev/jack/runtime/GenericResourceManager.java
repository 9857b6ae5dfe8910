package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.AttributeUpdate;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Input;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.api.descriptor.KindDescriptor.TagFormat;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * The AWS side of any kind, from its descriptor: requests are built from the spec and status
 * through the SDK's field metadata, the operations the descriptor names are called, and responses
 * are read back into spec and status. A kind's exceptions come through its {@link ResourceHooks}.
 */
public final class GenericResourceManager implements ResourceManager {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
  private static final Pattern PATH_VALUE = Pattern.compile("\\$\\{([^}]+)}");

  private final KindDescriptor descriptor;
  private final ResourceHooks hooks;

  public GenericResourceManager(KindDescriptor descriptor) {
    this(descriptor, ResourceHooks.NONE);
  }

  /** The most pages a find reads of a listing. */
  private static final int MAX_PAGES = 100;

  public GenericResourceManager(KindDescriptor descriptor, ResourceHooks hooks) {
    this.descriptor = descriptor;
    this.hooks = hooks;
  }

  @Override
  public Optional<ResourceState> readOne(ResourceState desired, AwsContext aws) {
    String read = descriptor.operations().read();
    Map<String, JsonNode> members = inputs(read, desired, aws);
    if (members != null) {
      return read(members, desired, aws);
    }
    // An identifier AWS assigns at creation is not known yet: the resource was never created, or
    // AWS has one of its name (it would answer a create with it), which the kind's find tells.
    JsonNode identifier = descriptor.find() == null ? null : find(desired, aws);
    if (identifier == null) {
      return Optional.empty();
    }
    ResourceState located = desired.copy();
    identify(located, identifier);
    members = inputs(read, located, aws);
    if (members == null) {
      return Optional.empty();
    }
    Optional<ResourceState> found = read(members, located, aws);
    if (found.isPresent()) {
      // From now on the identifier names it, as a create's answer would have.
      identify(desired, identifier);
    }
    return found;
  }

  /** The resource as the read with these members shows it, or empty when AWS has none. */
  private Optional<ResourceState> read(
      Map<String, JsonNode> members, ResourceState desired, AwsContext aws) {
    String read = descriptor.operations().read();
    SdkPojo output;
    try {
      output = call(OpType.READ_ONE, read, members, desired, aws);
    } catch (RuntimeException e) {
      if (isNotFound(e, read)) {
        return Optional.empty();
      }
      throw e;
    }
    SdkPojo body = unwrap(output, descriptor.readWrapper(), own(desired, aws));
    if (body == null) {
      return Optional.empty();
    }
    ResourceState latest = new ResourceState(JSON.objectNode(), desired.status().deepCopy(), null);
    latest.setArn(desired.arn());
    fill(latest, body, aws);
    if (Readiness.gone(descriptor, latest)) {
      return Optional.empty();
    }
    setTemplateArn(latest, desired, aws);
    for (FieldDescriptor field : descriptor.spec()) {
      // Read what the spec sets, and what jack applied before (to remove it if the spec dropped
      // it).
      boolean wanted =
          desired.readEverything()
              || desired.spec().hasNonNull(field.name())
              || desired.owned().fields().contains(field.name());
      if (field.readOperation() != null && wanted) {
        JsonNode observed = readOwnOperation(field, desired, aws);
        if (observed != null) {
          latest.spec().set(field.name(), observed);
        }
      }
    }
    readTags(latest, desired, aws);
    hooks.afterRead(latest, aws.mapper().read(body), desired, aws);
    return Optional.of(latest);
  }

  /**
   * The identifier of the AWS resource of this one's name, as the kind's find gives it: from its
   * operation's output, or built from its template; null when AWS says it has none, or the find
   * lacks what it needs.
   */
  private JsonNode find(ResourceState desired, AwsContext aws) {
    KindDescriptor.Find find = descriptor.find();
    if (find.items() != null) {
      return desired.claimed() && desired.uid() != null ? findTagged(find, desired, aws) : null;
    }
    if (find.template() != null) {
      String identifier = fromTemplate(find.template(), desired, aws);
      return identifier == null ? null : JSON.textNode(identifier);
    }
    Map<String, JsonNode> members = inputs(find.operation(), desired, aws);
    if (members == null) {
      return null;
    }
    SdkPojo output;
    try {
      output = call(OpType.READ_ONE, find.operation(), members, desired, aws);
    } catch (RuntimeException e) {
      if (isNotFound(e, find.operation())) {
        return null;
      }
      throw e;
    }
    JsonNode identifier = member(output, find.output(), aws);
    return identifier == null || identifier.isNull() ? null : identifier;
  }

  /**
   * The identifier of the element of the find's listing tagged with this resource's UID: what an
   * earlier create made whose answer jack never had. Page by page, as long as AWS gives a {@code
   * NextToken}; null when no element has the tag.
   */
  private JsonNode findTagged(KindDescriptor.Find find, ResourceState desired, AwsContext aws) {
    Map<String, JsonNode> members =
        find.inputs() != null
            ? inputs(find.inputs(), desired, aws)
            : inputs(find.operation(), desired, aws);
    if (members == null) {
      return null;
    }
    Map<String, JsonNode> page = new LinkedHashMap<>(members);
    for (int pages = 0; pages < MAX_PAGES; pages++) {
      SdkPojo output = call(OpType.READ_MANY, find.operation(), page, desired, aws);
      for (Object element : elements(output, find.items())) {
        if (!(element instanceof SdkPojo item)) {
          continue;
        }
        Map<String, JsonNode> values = aws.mapper().read(item);
        if (desired.uid().equals(tagsOf(values).get(KindDescriptor.Find.UID_TAG))) {
          JsonNode identifier = values.get(find.output());
          return identifier == null || identifier.isNull() ? null : identifier;
        }
      }
      JsonNode next = aws.mapper().read(output).get("NextToken");
      if (next == null || next.isNull() || next.asText().isEmpty()) {
        return null;
      }
      page.put("NextToken", next);
    }
    return null;
  }

  /** The list member of an output, as the SDK holds it; empty when it has none. */
  private static List<?> elements(SdkPojo output, String member) {
    for (SdkField<?> field : output.sdkFields()) {
      if (field.memberName().equals(member)
          && field.getValueOrDefault(output) instanceof List<?> l) {
        return l;
      }
    }
    return List.of();
  }

  /** The tags of an element of a listing (its members by AWS name), in the kind's tags form. */
  private Map<String, String> tagsOf(Map<String, JsonNode> item) {
    TagsDescriptor tags = descriptor.tags();
    FieldDescriptor field = tags == null ? null : specField(tags.path());
    if (field == null) {
      return Map.of();
    }
    return Tags.desired(
        Map.of(),
        item.get(field.awsName()),
        crdName(tags.keyMember()),
        crdName(tags.valueMember()));
  }

  /**
   * Puts what the find gave where the kind's find says; where the kind's ARN field is a status
   * field too (SNS's {@code topicARN}), into both.
   */
  private void identify(ResourceState state, JsonNode identifier) {
    String into = descriptor.find().into();
    FieldDescriptor arn = descriptor.arn();
    String arnStatus =
        arn != null && descriptor.status().stream().anyMatch(f -> f.name().equals(arn.name()))
            ? "status." + arn.name()
            : null;
    if (into.equals("arn") || into.equals(arnStatus)) {
      state.setArn(identifier.asText());
      if (arnStatus != null) {
        state.put(arnStatus, identifier);
      }
    } else {
      state.put(into, identifier);
    }
  }

  /**
   * Whether AWS has the resource: its read alone, without its configurations and tags. It makes no
   * find: a delete acts only on what the identifiers jack recorded name.
   */
  @Override
  public boolean exists(ResourceState known, AwsContext aws) {
    String read = descriptor.operations().read();
    Map<String, JsonNode> members = inputs(read, known, aws);
    if (members == null) {
      return false;
    }
    try {
      SdkPojo body =
          unwrap(
              call(OpType.READ_ONE, read, members, known, aws),
              descriptor.readWrapper(),
              own(known, aws));
      if (body == null) {
        return false;
      }
      ResourceState seen = new ResourceState(JSON.objectNode(), JSON.objectNode(), null);
      fill(seen, body, aws);
      return !Readiness.gone(descriptor, seen);
    } catch (RuntimeException e) {
      if (isNotFound(e, read)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public ResourceState create(ResourceState desired, AwsContext aws) {
    String create = descriptor.operations().create();
    Map<String, JsonNode> inputs = inputs(create, desired, aws);
    Map<String, JsonNode> members = new LinkedHashMap<>(inputs == null ? Map.of() : inputs);
    for (FieldDescriptor field : descriptor.spec()) {
      JsonNode value = desired.sent(field.name());
      if (field.origin() == Origin.CREATE_INPUT && value != null && !value.isNull()) {
        members.put(field.awsName(), value);
      }
    }
    if (descriptor.attributes() != null) {
      Map<String, String> attributes = Attributes.fromSpec(descriptor, desired, null);
      if (!attributes.isEmpty()) {
        ObjectNode map = JSON.objectNode();
        attributes.forEach(map::put);
        members.put(descriptor.attributes(), map);
      }
    }
    addDefaultTags(members, desired, aws);
    SdkPojo output = call(OpType.CREATE, create, members, desired, aws);
    SdkPojo body = unwrap(output, descriptor.createWrapper());
    ResourceState created = ResourceState.empty();
    if (body != null) {
      fill(created, body, aws);
    }
    setTemplateArn(created, desired, aws);
    return created;
  }

  /**
   * jack's own tags go with the user's into a create call that takes tags: as the tags field's
   * member, or as the create's tag specifications (EC2's {@code TagSpecifications}), which AWS
   * applies with the create, so the resource never exists untagged.
   */
  private void addDefaultTags(
      Map<String, JsonNode> members, ResourceState desired, AwsContext aws) {
    if (!descriptor.createTakesTags()) {
      return;
    }
    TagsDescriptor tags = descriptor.tags();
    FieldDescriptor field = specField(tags.path());
    Map<String, String> defaults = new LinkedHashMap<>(aws.defaultTags());
    String uid = desired.uid();
    if (descriptor.find() != null && descriptor.find().items() != null && uid != null) {
      // What finds this create again if its answer is lost (see KindDescriptor.Find#items).
      defaults.put(KindDescriptor.Find.UID_TAG, uid);
    }
    JsonNode user =
        tags.create() == null ? members.get(field.awsName()) : desired.sent(field.name());
    Map<String, String> all =
        Tags.desired(defaults, user, crdName(tags.keyMember()), crdName(tags.valueMember()));
    if (tags.create() == null) {
      members.put(field.awsName(), tagsJson(all, tags));
    } else if (!all.isEmpty()) {
      ArrayNode specifications = JSON.arrayNode();
      // By AWS member name: the specification is no shape of the kind's fields.
      specifications
          .addObject()
          .put("ResourceType", tags.resourceType())
          .set("Tags", tagsJson(all, tags));
      members.put(tags.create(), specifications);
    }
  }

  @Override
  public ResourceState update(
      ResourceState desired, ResourceState latest, Delta delta, AwsContext aws) {
    String update = descriptor.operations().update();
    Map<String, JsonNode> together = new LinkedHashMap<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    TagsDescriptor tags = descriptor.tags();
    String tagsField = tags == null ? null : tags.path().split("\\.")[0];
    for (FieldDescriptor field : descriptor.spec()) {
      if (!delta.contains(field.name()) || field.update() == null) {
        continue;
      }
      JsonNode value = desired.sent(field.name());
      if (field.each()) {
        syncItems(field, desired, latest, aws);
      } else if (field.update().equals("hook")) {
        if (!hooks.update(field.name(), desired, latest, aws)) {
          throw new IllegalStateException(
              descriptor.kind() + "'s hooks do not change spec." + field.name());
        }
      } else if (field.name().equals(tagsField) && tags.tag() != null) {
        syncTags(desired, latest, aws);
      } else if (field.origin() == Origin.ATTRIBUTE) {
        attributes.put(field.awsName(), value == null ? "" : value.asText());
      } else if (field.update().equals(update)) {
        together.put(field.awsName(), value);
      } else {
        String[] route = field.update().split("\\.", 2);
        String member = route.length > 1 ? route[1] : field.awsName();
        if ((value == null || value.isNull()) && field.remove() != null) {
          call(
              OpType.DELETE,
              field.remove(),
              inputs(field.remove(), identity(desired, latest), aws),
              desired,
              aws);
        } else {
          Map<String, JsonNode> members =
              new LinkedHashMap<>(inputs(route[0], identity(desired, latest), aws));
          members.put(member, value);
          call(OpType.UPDATE, route[0], members, desired, aws);
        }
      }
    }
    if (!attributes.isEmpty()) {
      updateAttributes(attributes, desired, latest, aws);
    }
    if (!together.isEmpty()) {
      Map<String, JsonNode> members =
          new LinkedHashMap<>(inputs(update, identity(desired, latest), aws));
      members.putAll(together);
      call(OpType.UPDATE, update, members, desired, aws);
    }
    ResourceState updated = latest.copy();
    for (String field : delta.fields()) {
      JsonNode value = desired.spec().get(field);
      if (value == null) {
        updated.spec().remove(field);
      } else {
        updated.spec().set(field, value);
      }
    }
    return updated;
  }

  /**
   * Adds the items the spec lists and AWS lacks, one call each, and removes the items jack added
   * before that the spec dropped; items others added stay.
   */
  private void syncItems(
      FieldDescriptor field, ResourceState desired, ResourceState latest, AwsContext aws) {
    java.util.Set<String> wanted = Convergence.items(desired.spec().get(field.name()));
    java.util.Set<String> observed = Convergence.items(latest.spec().get(field.name()));
    ResourceState identity = identity(desired, latest);
    for (String item : wanted) {
      if (!observed.contains(item)) {
        Map<String, JsonNode> members =
            new LinkedHashMap<>(inputs(field.operation(), identity, aws));
        members.put(field.awsName(), JSON.textNode(item));
        call(OpType.UPDATE, field.operation(), members, desired, aws);
      }
    }
    if (field.remove() == null) {
      return;
    }
    for (String item : desired.owned().items().getOrDefault(field.name(), java.util.Set.of())) {
      if (!wanted.contains(item) && observed.contains(item)) {
        Map<String, JsonNode> members = new LinkedHashMap<>(inputs(field.remove(), identity, aws));
        members.put(field.awsName(), JSON.textNode(item));
        call(OpType.DELETE, field.remove(), members, desired, aws);
      }
    }
  }

  private void updateAttributes(
      Map<String, String> attributes, ResourceState desired, ResourceState latest, AwsContext aws) {
    String update = descriptor.operations().update();
    if (descriptor.attributeUpdate() == AttributeUpdate.MAP) {
      Map<String, JsonNode> members =
          new LinkedHashMap<>(inputs(update, identity(desired, latest), aws));
      ObjectNode map = JSON.objectNode();
      attributes.forEach(map::put);
      members.put(descriptor.attributes(), map);
      call(OpType.UPDATE, update, members, desired, aws);
      return;
    }
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      Map<String, JsonNode> members =
          new LinkedHashMap<>(inputs(update, identity(desired, latest), aws));
      members.put("AttributeName", JSON.textNode(attribute.getKey()));
      members.put("AttributeValue", JSON.textNode(attribute.getValue()));
      call(OpType.UPDATE, update, members, desired, aws);
    }
  }

  /**
   * Tags the resource with the spec's tags that AWS lacks or holds with another value, and untags
   * the keys the spec dropped that jack applied before (recorded in {@code desired}'s owned tags).
   * Where one call replaces the whole tag set (S3), the set sent keeps every tag jack does not own.
   * jack's own tags go with the first tags jack applies to a resource whose create took none.
   */
  private void syncTags(ResourceState desired, ResourceState latest, AwsContext aws) {
    TagsDescriptor tags = descriptor.tags();
    String key = crdName(tags.keyMember());
    String value = crdName(tags.valueMember());
    Map<String, String> wanted =
        Tags.desired(Map.of(), desired.at("spec." + tags.path()), key, value);
    Map<String, String> observed =
        Tags.desired(Map.of(), latest.at("spec." + tags.path()), key, value);
    Map<String, String> changed = new LinkedHashMap<>();
    if (desired.ownedTags().isEmpty()) {
      aws.defaultTags()
          .forEach(
              (k, v) -> {
                if (!observed.containsKey(k)) {
                  changed.put(k, v);
                }
              });
    }
    wanted.forEach(
        (k, v) -> {
          if (!v.equals(observed.get(k))) {
            changed.put(k, v);
          }
        });
    List<String> removed = new ArrayList<>();
    for (String owned : desired.ownedTags()) {
      if (!wanted.containsKey(owned) && observed.containsKey(owned)) {
        removed.add(owned);
      }
    }
    if (tags.replace()) {
      Map<String, String> all = new LinkedHashMap<>(observed);
      removed.forEach(all::remove);
      all.putAll(changed);
      FieldDescriptor root = specField(tags.path().split("\\.")[0]);
      if (all.isEmpty() && root != null && root.remove() != null) {
        call(
            OpType.DELETE,
            root.remove(),
            inputs(root.remove(), identity(desired, latest), aws),
            desired,
            aws);
      } else {
        callWithMember(tags.tag(), tagsJson(all, tags), desired, latest, aws);
      }
      return;
    }
    if (!removed.isEmpty() && tags.untag() != null) {
      ArrayNode keys = JSON.arrayNode();
      if (tags.untag().endsWith("Keys") || tags.format() == TagFormat.MAP) {
        removed.forEach(keys::add);
      } else {
        // An untag that takes tags, not keys (EC2's DeleteTags.Tags): tags without values.
        removed.forEach(k -> keys.addObject().put(crdName(tags.keyMember()), k));
      }
      callWithMember(tags.untag(), keys, desired, latest, aws);
    }
    if (!changed.isEmpty()) {
      callWithMember(tags.tag(), tagsJson(changed, tags), desired, latest, aws);
    }
  }

  /**
   * Calls {@code Operation.Member[.Member...]} with the resource's inputs and {@code value} at that
   * member path ({@code PutBucketTagging.Tagging.TagSet} sends {@code Tagging: {tagSet: value}}).
   */
  private void callWithMember(
      String operationAndPath,
      JsonNode value,
      ResourceState desired,
      ResourceState latest,
      AwsContext aws) {
    String[] parts = operationAndPath.split("\\.");
    JsonNode nested = value;
    for (int i = parts.length - 1; i >= 2; i--) {
      nested = JSON.objectNode().set(crdName(parts[i]), nested);
    }
    Map<String, JsonNode> members =
        new LinkedHashMap<>(inputs(parts[0], identity(desired, latest), aws));
    members.put(parts[1], nested);
    call(OpType.UPDATE, parts[0], members, desired, aws);
  }

  /**
   * Deletes the resource, after removing the items jack added to it (AWS refuses to delete a role
   * with attached policies); items others added stay, and AWS's refusal then says what is left.
   */
  @Override
  public void delete(ResourceState known, AwsContext aws) {
    String delete = descriptor.operations().delete();
    Map<String, JsonNode> members = inputs(delete, known, aws);
    if (members == null) {
      return;
    }
    for (FieldDescriptor field : descriptor.spec()) {
      if (!field.each() || field.remove() == null) {
        continue;
      }
      for (String item : known.owned().items().getOrDefault(field.name(), java.util.Set.of())) {
        Map<String, JsonNode> remove = new LinkedHashMap<>(inputs(field.remove(), known, aws));
        remove.put(field.awsName(), JSON.textNode(item));
        try {
          call(OpType.DELETE, field.remove(), remove, known, aws);
        } catch (RuntimeException e) {
          if (!isNotFound(e, field.remove())) {
            throw e;
          }
        }
      }
    }
    call(OpType.DELETE, delete, members, known, aws);
  }

  /**
   * What identifies the resource in a call: the spec as desired (fields that identify a resource
   * cannot change, and AWS may not return them), the status and ARN as last seen.
   */
  private static ResourceState identity(ResourceState desired, ResourceState latest) {
    ResourceState identity = desired.copy();
    identity.status().setAll(latest.status());
    if (latest.arn() != null) {
      identity.setArn(latest.arn());
    }
    return identity;
  }

  // --- reading ---

  /** Copies what a create or read output holds into spec, status and the ARN. */
  private void fill(ResourceState state, SdkPojo body, AwsContext aws) {
    Map<String, JsonNode> members = aws.mapper().read(body);
    String tagsField = descriptor.tags() == null ? null : descriptor.tags().path().split("\\.")[0];
    for (FieldDescriptor field : descriptor.spec()) {
      // The tags also when another operation applies them (EC2's CreateTags): the read has them.
      if (field.origin() != Origin.CREATE_INPUT && !field.name().equals(tagsField)) {
        continue;
      }
      JsonNode value =
          field.readPath() == null
              ? members.get(field.awsName())
              : member(body, field.readPath(), aws);
      if (value != null) {
        state.spec().set(field.name(), value);
      }
    }
    for (FieldDescriptor field : descriptor.status()) {
      JsonNode value = members.get(field.awsName());
      if (field.origin() == Origin.OUTPUT && value != null) {
        state.status().set(field.name(), value);
      }
    }
    if (descriptor.attributes() != null && members.get(descriptor.attributes()) != null) {
      Map<String, String> attributes = new LinkedHashMap<>();
      members
          .get(descriptor.attributes())
          .fields()
          .forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
      Attributes.toState(descriptor, attributes, state);
    }
    FieldDescriptor arn = descriptor.arn();
    if (arn != null && arn.origin() != Origin.ATTRIBUTE && members.get(arn.awsName()) != null) {
      state.setArn(members.get(arn.awsName()).asText());
    }
  }

  /** The ARN from the kind's template, for kinds whose outputs carry none. */
  private void setTemplateArn(ResourceState state, ResourceState desired, AwsContext aws) {
    if (state.arn() == null && descriptor.arnTemplate() != null) {
      state.setArn(fromTemplate(descriptor.arnTemplate(), identity(desired, state), aws));
    }
  }

  /** A field that an operation of its own reads back; null when AWS has none. */
  private JsonNode readOwnOperation(FieldDescriptor field, ResourceState desired, AwsContext aws) {
    String operation = field.readOperation();
    Map<String, JsonNode> members = inputs(operation, desired, aws);
    SdkPojo output;
    try {
      output = call(OpType.READ_ONE, operation, members, desired, aws);
    } catch (RuntimeException e) {
      if (isNotFound(e, operation)) {
        return null;
      }
      throw e;
    }
    if (field.each()) {
      return itemValues(output, field.readMember().split("\\."));
    }
    if (field.readMember() != null) {
      return member(output, field.readMember(), aws);
    }
    // The output's members are the configuration's own (S3's GetBucketVersioning).
    Map<String, String> names = descriptor.shapes().getOrDefault(field.shape(), Map.of());
    ObjectNode configuration = JSON.objectNode();
    aws.mapper()
        .read(output)
        .forEach(
            (member, value) -> {
              if (names.containsKey(member)) {
                configuration.set(names.get(member), value);
              }
            });
    return configuration.isEmpty() ? null : configuration;
  }

  /** Reads the tags with their own operation when the spec sets some and the read had none. */
  private void readTags(ResourceState latest, ResourceState desired, AwsContext aws) {
    TagsDescriptor tags = descriptor.tags();
    if (tags == null || tags.list() == null) {
      return;
    }
    boolean wanted =
        desired.readEverything()
            || desired.at("spec." + tags.path()) != null
            || !desired.ownedTags().isEmpty();
    JsonNode read = latest.at("spec." + tags.path());
    if (!wanted || (read != null && !read.isEmpty())) {
      return;
    }
    String[] list = tags.list().split("\\.", 2);
    SdkPojo output;
    try {
      output =
          call(
              OpType.READ_ONE,
              list[0],
              inputs(list[0], identity(desired, latest), aws),
              desired,
              aws);
    } catch (RuntimeException e) {
      if (isNotFound(e, list[0])) {
        return;
      }
      throw e;
    }
    JsonNode observed = aws.mapper().read(output).get(list[1]);
    latest.put(
        "spec." + tags.path(),
        observed != null
            ? observed
            : tags.format() == TagFormat.MAP ? JSON.objectNode() : JSON.arrayNode());
  }

  /**
   * The values at a path through a list of an output: {@code AttachedPolicies.PolicyArn} gives each
   * attached policy's ARN.
   */
  private static ArrayNode itemValues(SdkPojo output, String[] path) {
    ArrayNode values = JSON.arrayNode();
    collect(output, path, 0, values);
    return values;
  }

  private static void collect(Object node, String[] path, int depth, ArrayNode values) {
    if (node instanceof List<?> list) {
      list.forEach(element -> collect(element, path, depth, values));
      return;
    }
    if (depth == path.length) {
      if (node != null) {
        values.add(node.toString());
      }
      return;
    }
    if (node instanceof SdkPojo structure) {
      for (SdkField<?> field : structure.sdkFields()) {
        if (field.memberName().equals(path[depth])) {
          collect(field.getValueOrDefault(structure), path, depth + 1, values);
        }
      }
    }
  }

  /** The value at an AWS member path ({@code BillingModeSummary.BillingMode}) of an output. */
  private static JsonNode member(SdkPojo pojo, String path, AwsContext aws) {
    int dot = path.lastIndexOf('.');
    SdkPojo holder = dot < 0 ? pojo : unwrap(pojo, path.substring(0, dot));
    return holder == null ? null : aws.mapper().read(holder).get(path.substring(dot + 1));
  }

  /** The structure at an AWS member path of an output (a list's first element); null if none. */
  static SdkPojo unwrap(SdkPojo pojo, String path) {
    return unwrap(pojo, path, element -> true);
  }

  /**
   * Which element of a listing is this resource: the one whose {@code readMatch} members have the
   * resource's values (a KMS alias by its name among the key's aliases).
   */
  private java.util.function.Predicate<Object> own(ResourceState desired, AwsContext aws) {
    if (descriptor.readMatch() == null || descriptor.readMatch().isEmpty()) {
      return element -> true;
    }
    Map<String, JsonNode> wanted = new LinkedHashMap<>();
    for (String member : descriptor.readMatch()) {
      for (FieldDescriptor field : descriptor.spec()) {
        if (field.awsName().equals(member)) {
          wanted.put(member, desired.spec().get(field.name()));
        }
      }
    }
    return element -> {
      if (!(element instanceof SdkPojo structure)) {
        return false;
      }
      Map<String, JsonNode> values = aws.mapper().read(structure);
      return wanted.entrySet().stream()
          .allMatch(
              w ->
                  w.getValue() != null
                      && values.get(w.getKey()) != null
                      && w.getValue().asText().equals(values.get(w.getKey()).asText()));
    };
  }

  private static SdkPojo unwrap(
      SdkPojo pojo, String path, java.util.function.Predicate<Object> element) {
    if (path == null) {
      return pojo;
    }
    Object current = pojo;
    for (String part : path.split("\\.")) {
      if (!(current instanceof SdkPojo structure)) {
        return null;
      }
      Object next = null;
      for (SdkField<?> field : structure.sdkFields()) {
        if (field.memberName().equals(part)) {
          next = field.getValueOrDefault(structure);
        }
      }
      if (next instanceof List<?> list) {
        next = list.stream().filter(element).findFirst().orElse(null);
      }
      current = next;
    }
    return current instanceof SdkPojo structure ? structure : null;
  }

  // --- calling ---

  private SdkPojo call(
      OpType type,
      String operation,
      Map<String, JsonNode> members,
      ResourceState desired,
      AwsContext aws) {
    Map<String, JsonNode> request = new LinkedHashMap<>(members);
    hooks.beforeCall(operation, request, desired, aws);
    try {
      return aws.api()
          .call(type, aws.mapper().request(descriptor.sdkPackage(), operation, request));
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      // What AWS answers goes into conditions, events and logs: never a secret it echoes.
      throw redacted(e, desired.secrets());
    }
  }

  /**
   * The AWS error, or when its messages hold a secret value that was sent, the same error with
   * those values replaced by {@code ***}.
   */
  private static software.amazon.awssdk.awscore.exception.AwsServiceException redacted(
      software.amazon.awssdk.awscore.exception.AwsServiceException e, Secrets.Resolution sent) {
    java.util.Set<String> texts = sent == null ? java.util.Set.of() : sent.texts();
    String details = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    boolean echoed =
        texts.stream()
            .anyMatch(
                t ->
                    (e.getMessage() != null && e.getMessage().contains(t))
                        || (details != null && details.contains(t)));
    if (!echoed) {
      return e;
    }
    software.amazon.awssdk.awscore.exception.AwsServiceException.Builder copy =
        e.toBuilder().message(Secrets.redact(e.getMessage(), texts)).cause(null);
    if (e.awsErrorDetails() != null) {
      copy.awsErrorDetails(
          e.awsErrorDetails().toBuilder()
              .errorMessage(Secrets.redact(e.awsErrorDetails().errorMessage(), texts))
              .build());
    }
    return copy.build();
  }

  /**
   * The members an operation takes from the resource; null when one that AWS assigned (a status
   * field, the ARN) is not known yet.
   */
  private Map<String, JsonNode> inputs(String operation, ResourceState state, AwsContext aws) {
    return inputs(descriptor.inputs().getOrDefault(operation, Map.of()), state, aws);
  }

  /** The members these inputs take from the resource; null when one AWS assigns is not known. */
  private static Map<String, JsonNode> inputs(
      Map<String, Input> inputs, ResourceState state, AwsContext aws) {
    Map<String, JsonNode> members = new LinkedHashMap<>();
    for (Map.Entry<String, Input> entry : inputs.entrySet()) {
      Input input = entry.getValue();
      JsonNode value;
      if (input.from() == null) {
        value = input.value().isContainerNode() ? filled(input.value(), state, aws) : input.value();
        if (value == null) {
          return null;
        }
      } else {
        value = valueAt(input.from(), state, aws);
        if (value == null) {
          if (input.from().startsWith("status.") || input.from().startsWith("arn")) {
            return null;
          }
          continue;
        }
        if (input.list()) {
          value = JSON.arrayNode().add(value);
        }
      }
      members.put(entry.getKey(), value);
    }
    return members;
  }

  private static JsonNode valueAt(String path, ResourceState state, AwsContext aws) {
    return switch (path) {
      case "region" -> JSON.textNode(aws.region());
      case "account" -> JSON.textNode(aws.accountId());
      case "uid" -> state.uid() == null ? null : JSON.textNode(state.uid());
      // The resource's own ID at the end of its ARN (a SageMaker domain's d-xxxx).
      case "arn-id" ->
          state.arn() == null
              ? null
              : JSON.textNode(state.arn().substring(state.arn().lastIndexOf('/') + 1));
      default -> state.at(path);
    };
  }

  /**
   * A structured fixed input with the resource's values put in where it says {@code ${path}}
   * ({@code {type: oidc, name: ${spec.oidc.identityProviderConfigName}}}); null when one is not
   * known.
   */
  private static JsonNode filled(JsonNode template, ResourceState state, AwsContext aws) {
    if (template.isTextual()) {
      Matcher matcher = PATH_VALUE.matcher(template.asText());
      return matcher.matches() ? valueAt(matcher.group(1), state, aws) : template;
    }
    if (template.isObject()) {
      ObjectNode object = JSON.objectNode();
      for (Map.Entry<String, JsonNode> member :
          (Iterable<Map.Entry<String, JsonNode>>) template::fields) {
        JsonNode value = filled(member.getValue(), state, aws);
        if (value == null) {
          return null;
        }
        object.set(member.getKey(), value);
      }
      return object;
    }
    if (template.isArray()) {
      ArrayNode array = JSON.arrayNode();
      for (JsonNode element : template) {
        JsonNode value = filled(element, state, aws);
        if (value == null) {
          return null;
        }
        array.add(value);
      }
      return array;
    }
    return template;
  }

  private boolean isNotFound(RuntimeException e) {
    return AwsErrors.isNotFound(e, descriptor.notFoundCodes());
  }

  /** A HEAD request has no body: its 404 says only that the resource does not exist. */
  private boolean isNotFound(RuntimeException e, String operation) {
    return isNotFound(e)
        || (operation.startsWith("Head")
            && e instanceof software.amazon.awssdk.core.exception.SdkServiceException service
            && service.statusCode() == 404);
  }

  /**
   * A template of the descriptor's ({@code arnTemplate}, a find's) with {@code {region}}, {@code
   * {account}} and the resource's values at {@code {spec.x}} or {@code {status.y}} put in; null
   * when one is not known.
   */
  private static String fromTemplate(String template, ResourceState state, AwsContext aws) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder arn = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      JsonNode value =
          switch (name) {
            case "region" -> JSON.textNode(aws.region());
            case "account" -> JSON.textNode(aws.accountId());
            default -> state.at(name);
          };
      if (value == null) {
        return null;
      }
      matcher.appendReplacement(arn, Matcher.quoteReplacement(value.asText()));
    }
    matcher.appendTail(arn);
    return arn.toString();
  }

  private FieldDescriptor specField(String name) {
    return descriptor.spec().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  private static JsonNode tagsJson(Map<String, String> tags, TagsDescriptor descriptor) {
    if (descriptor.format() == TagFormat.MAP) {
      ObjectNode map = JSON.objectNode();
      tags.forEach(map::put);
      return map;
    }
    ArrayNode list = JSON.arrayNode();
    String key = crdName(descriptor.keyMember());
    String value = crdName(descriptor.valueMember());
    tags.forEach((k, v) -> list.addObject().put(key, k).put(value, v));
    return list;
  }

  /** The CRD name of a tag structure's member ({@code Key} is {@code key}). */
  static String crdName(String member) {
    return member == null ? null : Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }
}

package dev.jack.codegen;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.api.descriptor.KindDescriptor.AttributeUpdate;
import dev.jack.api.descriptor.KindDescriptor.Find;
import dev.jack.api.descriptor.KindDescriptor.Input;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.api.descriptor.KindDescriptor.TagFormat;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import dev.jack.codegen.KindModel.Field;
import dev.jack.codegen.ServiceConfig.FieldConfig;
import dev.jack.codegen.ServiceConfig.ResourceConfig;
import dev.jack.codegen.ServiceConfig.Tagging;
import dev.jack.codegen.Shape.ShapeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the AWS calls of one kind for the runtime's generic resource manager: where each input
 * member of each operation comes from, which operation changes each spec field, and how tags are
 * read and written. It refuses a configuration the runtime could not serve: a required input member
 * that nothing fills, a mutable field that no operation changes, or a find that could not find.
 */
public final class CallPlanner {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A placeholder of a template ({@code {spec.name}}), as the runtime replaces it. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");

  /** In a structured fixed input, where it puts in an identifier AWS assigns. */
  private static final Pattern ASSIGNED = Pattern.compile("\\$\\{(status\\.[^}]+|arn|arn-id)}");

  /** The route of a field whose kind's hooks change it. */
  static final String HOOK = "hook";

  /**
   * What the planner derived for one kind.
   *
   * @param find the kind's find, checked, or null
   */
  public record Plan(
      Map<String, Map<String, Input>> inputs,
      Map<String, String> updates,
      AttributeUpdate attributeUpdate,
      TagsDescriptor tags,
      Find find) {}

  private final ServiceConfig service;
  private final SdkModel model;
  private final ModelDocs docs;

  public CallPlanner(ServiceConfig service, SdkModel model, ModelDocs docs) {
    this.service = service;
    this.model = model;
    this.docs = docs;
  }

  public Plan plan(KindModel kind) {
    ResourceConfig config = kind.config();
    String where = service.service() + " " + kind.kind();
    if (config.manager() != null) {
      if (config.find() != null) {
        throw new IllegalArgumentException(
            where + ": find is for the generic manager; a hand-written manager finds on its own");
      }
      // A hand-written manager does its own calls; the runtime needs only how tags look.
      return new Plan(Map.of(), Map.of(), null, tags(kind, where), null);
    }
    List<String> problems = new ArrayList<>();
    ServiceConfig.Operations ops = config.operations();

    TagsDescriptor tags = tags(kind, where);
    if (config.tagResourceType() != null && (tags == null || tags.create() == null)) {
      problems.add(
          "tag-resource-type is for a kind whose create takes its tags in tag specifications"
              + " (tagging.create)");
    }
    AttributeUpdate attributeUpdate = attributeUpdate(config);

    // The operations the kind calls besides create, and the members the runtime fills itself.
    Map<String, Set<String>> calls = new LinkedHashMap<>();
    if (ops.read() != null) {
      calls.put(ops.read(), Set.of());
    }
    if (ops.delete() != null) {
      calls.put(ops.delete(), Set.of());
    }
    if (ops.update() != null) {
      Set<String> own = new LinkedHashSet<>();
      if (attributeUpdate == AttributeUpdate.SINGLE) {
        own.add("AttributeName");
        own.add("AttributeValue");
      } else if (attributeUpdate == AttributeUpdate.MAP) {
        own.add(config.attributes());
      }
      calls.put(ops.update(), own);
    }
    for (Field field : kind.spec()) {
      FieldConfig own = field.config();
      if (own != null && own.updateByHook()) {
        continue;
      }
      if (own != null && own.update() != null) {
        if (field.origin() != Origin.CREATE_INPUT) {
          problems.add("spec." + field.name() + ": 'update' is for create input members");
        } else {
          String[] route = own.update().split("\\.", 2);
          String member = route.length > 1 ? route[1] : field.awsName();
          if (!model.input(route[0]).members().containsKey(member)) {
            problems.add("spec." + field.name() + ": " + route[0] + " takes no member " + member);
          }
          calls.merge(route[0], Set.of(member), CallPlanner::union);
        }
      }
      if (field.origin() == Origin.OPERATION_INPUT) {
        calls.merge(field.operation(), Set.of(field.awsName()), CallPlanner::union);
        FieldConfig fc = field.config();
        if (fc != null && fc.read() != null) {
          calls.putIfAbsent(fc.read().split("\\.")[0], Set.of());
        }
        if (fc != null && fc.remove() != null) {
          // A set of items is removed one item per call, at the member that added it.
          calls.merge(
              fc.remove(),
              DescriptorWriter.isEach(field) ? Set.of(field.awsName()) : Set.of(),
              CallPlanner::union);
        }
      }
    }
    if (tags != null) {
      if (tags.tag() != null) {
        calls.merge(operation(tags.tag()), Set.of(member(tags.tag(), where)), CallPlanner::union);
      }
      if (tags.untag() != null) {
        calls.merge(
            operation(tags.untag()), Set.of(member(tags.untag(), where)), CallPlanner::union);
      }
      if (tags.list() != null) {
        calls.putIfAbsent(operation(tags.list()), Set.of());
      }
    }
    ServiceConfig.Find find = config.find();
    if (find != null && find.operation() != null && exists(find.operation())) {
      // Its inputs are planned like any operation's, and can be configured in inputs.
      calls.putIfAbsent(find.operation(), Set.of());
    }

    Map<String, Map<String, Input>> inputs = new TreeMap<>();
    Map<String, Map<String, Object>> configured = config.inputsOrEmpty();
    for (String op : configured.keySet()) {
      if (!calls.containsKey(op) && !op.equals(ops.create())) {
        problems.add("inputs names " + op + ", an operation the kind does not call");
      }
    }
    // A create retried after a lost answer must not make a second resource: its idempotency
    // token is the resource's UID, the same on every attempt.
    Map<String, Input> createInputs = new TreeMap<>();
    for (String token : model.idempotencyTokens(ops.create())) {
      createInputs.put(token, new Input("uid", false, null));
    }
    createInputs.putAll(
        fixedInputs(where, ops.create(), configured.getOrDefault(ops.create(), Map.of())));
    if (!createInputs.isEmpty()) {
      inputs.put(ops.create(), createInputs);
    }
    for (Map.Entry<String, Set<String>> call : calls.entrySet()) {
      String op = call.getKey();
      boolean update = op.equals(ops.update());
      Shape input = model.input(op);
      Set<String> required = new LinkedHashSet<>(docs.requiredInputs(op));
      // The SDK fills an idempotency token with a fresh value on each call of another operation.
      Set<String> tokens = model.idempotencyTokens(op);
      required.removeAll(tokens);
      Map<String, Input> bound = new TreeMap<>();
      Map<String, Object> explicit = configured.getOrDefault(op, Map.of());
      for (Map.Entry<String, Shape> member : input.members().entrySet()) {
        String name = member.getKey();
        if (call.getValue().contains(name)
            || (tokens.contains(name) && !explicit.containsKey(name))) {
          continue;
        }
        Input binding =
            explicit.containsKey(name)
                ? input(where, op, name, explicit.get(name))
                : derive(kind, name, member.getValue(), update && !required.contains(name));
        if (binding != null) {
          bound.put(name, binding);
        } else if (required.contains(name)) {
          problems.add(
              op
                  + " needs "
                  + name
                  + ", and no status or spec field, nor the ARN, fills it: name one in inputs."
                  + op
                  + "."
                  + name);
        }
      }
      for (String name : explicit.keySet()) {
        if (!input.members().containsKey(name)) {
          problems.add("inputs." + op + " names " + name + ", which " + op + " does not take");
        }
      }
      inputs.put(op, bound);
    }

    Map<String, String> updates = updates(kind, tags, attributeUpdate, inputs);
    for (Field field : kind.spec()) {
      if (!field.immutable() && !updates.containsKey(field.name())) {
        problems.add(
            "spec."
                + field.name()
                + " ("
                + field.awsName()
                + ") can change, but no operation changes it: mark it immutable, or name the"
                + " operation that does");
      }
    }
    if (config.ready() != null && !hasPath(kind, config.ready().path())) {
      problems.add("ready.path " + config.ready().path() + " names no spec or status field");
    }
    Find found = find(kind, inputs, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + ":\n  - " + String.join("\n  - ", problems));
    }
    return new Plan(inputs, updates, attributeUpdate, tags, found);
  }

  /**
   * Checks the kind's find and returns it for the descriptor: either an operation that exists,
   * whose inputs are all known before the create, and whose output has the member; or a template
   * whose placeholders are known before the create. Its {@code into} must be the kind's ARN or a
   * status field, and with it the read must have every identifier it needs: a find that leaves the
   * read short, or a read that needs no identifier AWS assigns, is a mistake.
   */
  private Find find(KindModel kind, Map<String, Map<String, Input>> inputs, List<String> problems) {
    ServiceConfig.Find find = kind.config().find();
    if (find == null) {
      return null;
    }
    int before = problems.size();
    String operation = find.operation();
    Map<String, Input> findInputs = null;
    if ((operation == null) == (find.template() == null)) {
      problems.add(
          "find: set either operation (with output), an operation that gives the identifier, or"
              + " template, which builds it");
    } else if (operation != null) {
      if (!exists(operation)) {
        problems.add(
            "find.operation " + operation + " is no operation of " + service.service() + "'s SDK");
      } else {
        checkFindOutput(find, problems);
        if (find.items() != null && kind.config().tags() == null) {
          problems.add(
              "find.items finds what jack created by its jack.dev/uid tag: the kind needs tags");
        }
        findInputs = find.items() != null ? tagFilter(kind, operation, problems) : null;
        (findInputs != null ? findInputs : inputs.getOrDefault(operation, Map.of()))
            .forEach(
                (member, input) -> {
                  String path = assignedPath(input);
                  if (path != null) {
                    problems.add(
                        "find.operation "
                            + operation
                            + " takes "
                            + member
                            + " from "
                            + path
                            + ", which AWS assigns at the create: name what is known before it"
                            + " in inputs."
                            + operation
                            + "."
                            + member);
                  }
                });
      }
    } else {
      if (find.output() != null) {
        problems.add("find.output is for an operation; a template is the identifier itself");
      }
      Matcher placeholder = PLACEHOLDER.matcher(find.template());
      while (placeholder.find()) {
        String name = placeholder.group(1);
        boolean known =
            name.equals("region")
                || name.equals("account")
                || (name.startsWith("spec.") && hasPath(kind, name));
        if (!known) {
          problems.add(
              "find.template: {"
                  + name
                  + "} is not known before the create: use {region}, {account} or {spec.<field>}");
        }
      }
    }
    String into = find.into();
    String read = kind.config().operations().read();
    if (into == null) {
      problems.add("find.into: name where the identifier goes, a status field or arn");
    } else if (!into.equals("arn") && !isStatusField(kind, into)) {
      problems.add("find.into " + into + " is neither arn nor a status field of the kind");
    } else if (into.equals("arn") && kind.arn() == null) {
      problems.add("find.into is arn, but the kind has no ARN field");
    } else if (read == null) {
      problems.add("find: the kind has no read operation to read what it finds");
    } else {
      boolean needed = false;
      for (Map.Entry<String, Input> input : inputs.getOrDefault(read, Map.of()).entrySet()) {
        String path = assignedPath(input.getValue());
        if (path == null) {
          continue;
        }
        needed = true;
        if (!fills(kind, into, path)) {
          problems.add(
              "find.into "
                  + into
                  + " leaves "
                  + read
                  + " without "
                  + input.getKey()
                  + ", which it takes from "
                  + path);
        }
      }
      if (!needed) {
        problems.add(
            "find: "
                + read
                + " needs no identifier AWS assigns, so the read finds the resource on its own;"
                + " remove find");
      }
    }
    return problems.size() == before
        ? new Find(operation, find.output(), find.template(), into, find.items(), findInputs)
        : null;
  }

  /**
   * Where the kind's tagging says its service's listings filter by tag: the find operation's input
   * that asks AWS for the element with jack's tag alone ({@code Filters: [{Name: tag:jack.dev/uid,
   * Values: [${uid}]}]}); else null, and the operation takes its own inputs.
   */
  private Map<String, Input> tagFilter(KindModel kind, String operation, List<String> problems) {
    Tagging tagging = tagging(kind);
    if (tagging == null || !tagging.filters()) {
      return null;
    }
    for (Map.Entry<String, Shape> member : model.input(operation).members().entrySet()) {
      Shape shape = member.getValue();
      if (shape.type() == ShapeType.LIST
          && shape.element().isStructure()
          && shape.element().members().containsKey("Name")
          && shape.element().members().containsKey("Values")) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("Name", "tag:" + Find.UID_TAG);
        filter.put("Values", List.of("${uid}"));
        return Map.of(member.getKey(), new Input(null, false, JSON.valueToTree(List.of(filter))));
      }
    }
    problems.add(
        "find.operation "
            + operation
            + " takes no filters of Name and Values, which the kind's tagging says its listings"
            + " take (tagging.filters)");
    return null;
  }

  /** The find operation's output member: there, through structures, and one value. */
  private void checkFindOutput(ServiceConfig.Find find, List<String> problems) {
    if (find.output() == null) {
      problems.add(
          "find.output: name the member of "
              + find.operation()
              + "'s output that holds the identifier");
      return;
    }
    Shape shape = model.output(find.operation());
    if (find.items() != null) {
      Shape items = shape.isStructure() ? shape.members().get(find.items()) : null;
      if (items == null || items.type() != ShapeType.LIST || !items.element().isStructure()) {
        problems.add(
            "find.items "
                + find.items()
                + " is no list of structures in "
                + find.operation()
                + "'s output");
        return;
      }
      shape = items.element();
    }
    for (String part : find.output().split("\\.")) {
      Shape member = shape.isStructure() ? shape.members().get(part) : null;
      if (member == null) {
        problems.add(
            "find.output "
                + find.output()
                + ": "
                + find.operation()
                + "'s output has no "
                + part
                + (shape.isStructure() ? "; it has " + shape.members().keySet() : ""));
        return;
      }
      shape = member;
    }
    if (!isScalar(shape)) {
      problems.add(
          "find.output "
              + find.output()
              + " is a "
              + shape.type().name().toLowerCase(Locale.ROOT)
              + ", not one value");
    }
  }

  /** Whether the SDK has the operation. */
  private boolean exists(String operation) {
    try {
      model.input(operation);
      model.output(operation);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The path of an identifier AWS assigns (a status field, the ARN) that an input takes, or null
   * when the input is known before the create: such an input is not there until the create.
   */
  private static String assignedPath(Input input) {
    if (input.from() != null) {
      String from = input.from();
      return from.startsWith("status.") || from.equals("arn") || from.equals("arn-id")
          ? from
          : null;
    }
    Matcher value = ASSIGNED.matcher(input.value() == null ? "" : input.value().toString());
    return value.find() ? value.group(1) : null;
  }

  /**
   * Whether the identifier put into {@code into} gives the read's input at {@code path}: the same
   * path, or the ARN where the kind's ARN field is that status field (SNS's {@code topicARN}),
   * which the runtime then sets both ways.
   */
  private static boolean fills(KindModel kind, String into, String path) {
    if (path.equals(into) || (into.equals("arn") && path.equals("arn-id"))) {
      return true;
    }
    String arnStatus =
        kind.arn() != null && isStatusField(kind, "status." + kind.arn().name())
            ? "status." + kind.arn().name()
            : null;
    if (arnStatus == null) {
      return false;
    }
    boolean arnPath = path.equals("arn") || path.equals("arn-id");
    return (into.equals("arn") && path.equals(arnStatus)) || (into.equals(arnStatus) && arnPath);
  }

  private static boolean isStatusField(KindModel kind, String path) {
    return path.startsWith("status.")
        && kind.status().stream().anyMatch(f -> f.name().equals(path.substring(7)));
  }

  /** Which operation changes each spec field, once the resource exists. */
  private Map<String, String> updates(
      KindModel kind,
      TagsDescriptor tags,
      AttributeUpdate attributeUpdate,
      Map<String, Map<String, Input>> inputs) {
    ServiceConfig.Operations ops = kind.config().operations();
    Set<String> updateMembers =
        ops.update() == null ? Set.of() : model.input(ops.update()).members().keySet();
    Map<String, Input> identifiers =
        ops.update() == null ? Map.of() : inputs.getOrDefault(ops.update(), Map.of());
    Map<String, String> updates = new LinkedHashMap<>();
    String tagsField = tags == null ? null : tags.path().split("\\.")[0];
    for (Field field : kind.spec()) {
      String route = null;
      if (field.config() != null && field.config().updateByHook()) {
        route = HOOK;
      } else if (field.config() != null && field.config().update() != null) {
        route = field.config().update();
      } else if (field.name().equals(tagsField) && tags.tag() != null) {
        route = operation(tags.tag());
      } else if (field.origin() == Origin.ATTRIBUTE) {
        route = attributeUpdate == null ? null : ops.update();
      } else if (field.origin() == Origin.OPERATION_INPUT) {
        route = field.operation();
      } else if (field.origin() == Origin.CREATE_INPUT
          && updateMembers.contains(field.awsName())
          && !isIdentifier(identifiers.get(field.awsName()))) {
        route = ops.update();
      }
      if (route != null) {
        updates.put(field.name(), route);
      }
    }
    return updates;
  }

  /** A binding that names the resource rather than carrying a changed value. */
  private static boolean isIdentifier(Input input) {
    return input != null && (input.from() == null || !input.from().startsWith("spec."));
  }

  /**
   * Where an input member comes from when no configuration says: a status field of its name (an
   * identifier AWS assigned), a spec field of its name, the ARN, or a list of one of those.
   *
   * @param optionalUpdateMember a member of the update operation that only carries changed values
   */
  private Input derive(KindModel kind, String member, Shape shape, boolean optionalUpdateMember) {
    if (optionalUpdateMember) {
      // Sent only with a changed value; an observed value echoed back could undo another change.
      return null;
    }
    for (Field field : kind.status()) {
      if (field.awsName().equalsIgnoreCase(member) && isScalar(field.shape())) {
        return new Input("status." + field.name(), false, null);
      }
    }
    if (kind.arn() != null && kind.arn().awsName().equalsIgnoreCase(member)) {
      return new Input("arn", false, null);
    }
    for (Field field : kind.spec()) {
      if (field.awsName().equalsIgnoreCase(member)
          && field.origin() == Origin.CREATE_INPUT
          && isScalar(field.shape())) {
        return new Input("spec." + field.name(), false, null);
      }
    }
    boolean hasArn = kind.arn() != null || kind.config().arnTemplate() != null;
    if (hasArn && member.toLowerCase(Locale.ROOT).matches("(resource)?arn")) {
      return new Input("arn", false, null);
    }
    if (shape.type() == ShapeType.LIST
        && isScalar(shape.element())
        && member.endsWith("s")
        && member.length() > 1) {
      Input one = derive(kind, member.substring(0, member.length() - 1), shape.element(), false);
      if (one != null && one.from() != null) {
        return new Input(one.from(), true, null);
      }
    }
    return null;
  }

  private static boolean isScalar(Shape shape) {
    return shape.type() != ShapeType.LIST
        && shape.type() != ShapeType.MAP
        && shape.type() != ShapeType.STRUCTURE
        && shape.type() != ShapeType.DOCUMENT;
  }

  private Map<String, Input> fixedInputs(String where, String op, Map<String, Object> values) {
    Map<String, Input> inputs = new TreeMap<>();
    values.forEach(
        (member, value) -> {
          Input input = input(where, op, member, value);
          if (input != null) {
            inputs.put(member, input);
          }
        });
    return inputs;
  }

  /** A configured input: a path of the resource in a string, else a fixed value. */
  private static Input input(String where, String op, String member, Object value) {
    if (value instanceof String text) {
      boolean list = text.startsWith("[") && text.endsWith("]");
      String path = list ? text.substring(1, text.length() - 1) : text;
      if (path.startsWith("spec.")
          || path.startsWith("status.")
          || path.equals("arn")
          || path.equals("arn-id")
          || path.equals("region")
          || path.equals("account")
          || path.equals("uid")) {
        return new Input(path, list, null);
      }
    }
    if (value == null) {
      // Not sent: a member that names the resource another way than the one jack identifies it
      // by (a security group's name beside its ID, which AWS refuses outside the default VPC).
      return null;
    }
    return new Input(null, false, JSON.valueToTree(value));
  }

  private AttributeUpdate attributeUpdate(ResourceConfig config) {
    if (config.attributes() == null || config.operations().update() == null) {
      return null;
    }
    Set<String> members = model.input(config.operations().update()).members().keySet();
    if (members.contains(config.attributes())) {
      return AttributeUpdate.MAP;
    }
    if (members.contains("AttributeName") && members.contains("AttributeValue")) {
      return AttributeUpdate.SINGLE;
    }
    return null;
  }

  /** Finds the tags' shape at the configured path and tells the runtime how to handle them. */
  private TagsDescriptor tags(KindModel kind, String where) {
    String path = kind.config().tags();
    if (path == null) {
      return null;
    }
    String[] parts = path.split("\\.");
    Field root =
        kind.spec().stream()
            .filter(f -> f.name().equals(parts[0]))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        where + ": tags path " + path + " names no spec field"));
    Shape shape = root.shape();
    for (int i = 1; i < parts.length; i++) {
      String name = parts[i];
      Shape current = shape;
      shape =
          current.members().entrySet().stream()
              .filter(m -> Names.memberName(m.getKey(), m.getValue()).equals(name))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + ": tags path " + path + " has no " + name));
    }
    TagFormat format;
    String key = null;
    String value = null;
    if (shape.type() == ShapeType.MAP) {
      format = TagFormat.MAP;
    } else if (shape.type() == ShapeType.LIST && shape.element().isStructure()) {
      List<String> members = List.copyOf(shape.element().members().keySet());
      key = members.stream().filter(m -> m.equalsIgnoreCase("key")).findFirst().orElse(null);
      value = members.stream().filter(m -> m.equalsIgnoreCase("value")).findFirst().orElse(null);
      if (key == null || value == null) {
        throw new IllegalArgumentException(
            where + ": tags at " + path + " are a list without Key and Value members");
      }
      format = TagFormat.KEY_VALUE_LIST;
    } else {
      throw new IllegalArgumentException(
          where + ": tags at " + path + " are neither a map nor a list of key/value structures");
    }
    Tagging tagging = tagging(kind);
    if (tagging == null) {
      if (root.origin() == Origin.OPERATION_INPUT || root.immutable()) {
        return new TagsDescriptor(path, format, key, value, null, null, null, false, null, null);
      }
      throw new IllegalArgumentException(
          where
              + ": tags at "
              + path
              + " need the operations that change them: configure 'tagging' for the service or"
              + " the kind");
    }
    String tag = withMember(tagging.tag(), where, true);
    String untag = withMember(tagging.untag(), where, true);
    String list = withMember(tagging.list(), where, false);
    String resourceType = tagging.create() == null ? null : tagResourceType(kind, tagging, where);
    return new TagsDescriptor(
        path,
        format,
        key,
        value,
        tag,
        untag,
        list,
        tagging.replace(),
        tagging.create(),
        resourceType);
  }

  /** The kind's tagging operations: its own, or else the service's. */
  private Tagging tagging(KindModel kind) {
    return kind.config().tagging() != null ? kind.config().tagging() : service.tagging();
  }

  /**
   * The kind's {@code ResourceType} in the tag specifications its create takes: configured, and one
   * of the model's values.
   */
  private String tagResourceType(KindModel kind, Tagging tagging, String where) {
    String create = kind.config().operations().create();
    Shape specifications = model.input(create).members().get(tagging.create());
    Shape element =
        specifications == null || specifications.type() != ShapeType.LIST
            ? null
            : specifications.element();
    if (element == null
        || !element.isStructure()
        || !element.members().containsKey("ResourceType")
        || !element.members().containsKey("Tags")) {
      throw new IllegalArgumentException(
          where
              + ": tagging.create names "
              + tagging.create()
              + ", which is no list of ResourceType and Tags in "
              + create
              + "'s input: give the kind its own tagging");
    }
    java.util.Set<String> types = model.enumValues(element.members().get("ResourceType").name());
    String type = kind.config().tagResourceType();
    if (type == null || (!types.isEmpty() && !types.contains(type))) {
      throw new IllegalArgumentException(
          where
              + ": "
              + create
              + " takes the tags in "
              + tagging.create()
              + ": set tag-resource-type to the kind's ResourceType there, one of "
              + types
              + (type == null ? "" : " (not " + type + ")"));
    }
    return type;
  }

  /**
   * {@code Operation.Member}, the member holding the tags or the keys: as configured, or the one
   * list or map member of the input.
   */
  private String withMember(String configured, String where, boolean input) {
    if (configured == null) {
      return null;
    }
    if (configured.contains(".")) {
      String[] parts = configured.split("\\.", 3);
      Shape shape = input ? model.input(parts[0]) : model.output(parts[0]);
      if (!shape.members().containsKey(parts[1])) {
        throw new IllegalArgumentException(
            where
                + ": "
                + parts[0]
                + " has no member "
                + parts[1]
                + "; it has "
                + shape.members().keySet());
      }
      return configured;
    }
    Shape shape = input ? model.input(configured) : model.output(configured);
    List<String> candidates =
        shape.members().entrySet().stream()
            .filter(
                m -> m.getValue().type() == ShapeType.LIST || m.getValue().type() == ShapeType.MAP)
            .map(Map.Entry::getKey)
            .toList();
    if (candidates.size() != 1) {
      throw new IllegalArgumentException(
          where
              + ": cannot tell which member of "
              + configured
              + " holds the tags ("
              + candidates
              + "): write "
              + configured
              + ".Member");
    }
    return configured + "." + candidates.get(0);
  }

  private boolean hasPath(KindModel kind, String path) {
    String[] parts = path.split("\\.", 2);
    if (parts.length < 2) {
      return false;
    }
    List<Field> fields = parts[0].equals("spec") ? kind.spec() : kind.status();
    String first = parts[1].split("\\.")[0];
    return fields.stream().anyMatch(f -> f.name().equals(first));
  }

  static String operation(String opAndMember) {
    return opAndMember.split("\\.", 2)[0];
  }

  /** The input member an {@code Operation.Member[.Member]} fills (its first member). */
  private static String member(String opAndMember, String where) {
    String[] parts = opAndMember.split("\\.", 3);
    if (parts.length < 2) {
      throw new IllegalArgumentException(where + ": " + opAndMember + " names no member");
    }
    return parts[1];
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }
}

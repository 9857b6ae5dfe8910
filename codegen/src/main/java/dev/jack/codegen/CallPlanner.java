package dev.jack.codegen;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.api.descriptor.KindDescriptor.AttributeUpdate;
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

/**
 * Plans the AWS calls of one kind for the runtime's generic resource manager: where each input
 * member of each operation comes from, which operation changes each spec field, and how tags are
 * read and written. It refuses a configuration the runtime could not serve: a required input member
 * that nothing fills, or a mutable field that no operation changes.
 */
public final class CallPlanner {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The route of a field whose kind's hooks change it. */
  static final String HOOK = "hook";

  /** What the planner derived for one kind. */
  public record Plan(
      Map<String, Map<String, Input>> inputs,
      Map<String, String> updates,
      AttributeUpdate attributeUpdate,
      TagsDescriptor tags) {}

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
      // A hand-written manager does its own calls; the runtime needs only how tags look.
      return new Plan(Map.of(), Map.of(), null, tags(kind, where));
    }
    List<String> problems = new ArrayList<>();
    ServiceConfig.Operations ops = config.operations();

    TagsDescriptor tags = tags(kind, where);
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
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + ":\n  - " + String.join("\n  - ", problems));
    }
    return new Plan(inputs, updates, attributeUpdate, tags);
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
    Tagging tagging = kind.config().tagging() != null ? kind.config().tagging() : service.tagging();
    if (tagging == null) {
      if (root.origin() == Origin.OPERATION_INPUT || root.immutable()) {
        return new TagsDescriptor(path, format, key, value, null, null, null, false);
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
    return new TagsDescriptor(path, format, key, value, tag, untag, list, tagging.replace());
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

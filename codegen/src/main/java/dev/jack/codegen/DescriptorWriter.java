package dev.jack.codegen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Operations;
import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.api.descriptor.KindDescriptor.Readiness;
import dev.jack.api.descriptor.KindDescriptor.ReferenceDescriptor;
import dev.jack.codegen.CallPlanner.Plan;
import dev.jack.codegen.KindModel.Field;
import dev.jack.codegen.ServiceConfig.FieldConfig;
import dev.jack.codegen.ServiceConfig.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Writes the descriptor the runtime reads for a kind (see {@link KindDescriptor}). */
public final class DescriptorWriter {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private DescriptorWriter() {}

  /**
   * @param readOutput the read operation's output inside its wrapper, or null without a read
   * @param kinds every kind of every service, by {@code service/Kind}, to find what references
   *     point at
   */
  public static KindDescriptor descriptor(
      KindModel kind,
      String sdkPackage,
      Plan plan,
      Shape readOutput,
      List<String> notFound,
      Function<String, KindModel> kinds) {
    Map<String, Map<String, String>> shapes = new TreeMap<>();
    kind.spec().forEach(f -> collectShapes(f.shape(), shapes));
    kind.status().forEach(f -> collectShapes(f.shape(), shapes));
    if (readOutput != null) {
      // What the read returns in other shapes than the create takes (descriptions, summaries).
      for (Field field : kind.spec()) {
        Shape observed = readOutput.members().get(field.awsName());
        if (observed != null) {
          collectShapes(observed, shapes);
        }
      }
    }
    for (String member :
        kind.config().readMatch() == null ? List.<String>of() : kind.config().readMatch()) {
      if (readOutput == null || !readOutput.members().containsKey(member)) {
        throw new IllegalArgumentException(
            kind.service()
                + " "
                + kind.kind()
                + ": read-match "
                + member
                + " is not a member of what the read returns");
      }
    }
    Map<String, ReferenceDescriptor> references = new TreeMap<>();
    kind.config()
        .referencesOrEmpty()
        .forEach((path, r) -> references.put(path, reference(kind, path, r, kinds)));
    ServiceConfig.ResourceConfig config = kind.config();
    ServiceConfig.Operations ops = config.operations();
    return new KindDescriptor(
        kind.service(),
        kind.group(),
        CrdWriter.VERSION,
        kind.kind(),
        kind.plural(),
        sdkPackage,
        new Operations(ops.create(), ops.read(), ops.update(), ops.delete()),
        config.outputWrapper(),
        config.effectiveReadWrapper(),
        config.readMatch() == null ? List.of() : config.readMatch(),
        config.attributes(),
        plan.attributeUpdate(),
        kind.arn() == null ? null : field(kind.arn(), null, false, false),
        config.arnTemplate(),
        kind.spec().stream()
            .map(
                f -> {
                  // AWS never returns a secret: what jack applied is remembered, not compared.
                  boolean secret = kind.holdsSecret(f.name());
                  return field(
                      f,
                      plan.updates().get(f.name()),
                      secret || !observed(f, kind, plan, readOutput),
                      secret);
                })
            .toList(),
        kind.status().stream().map(f -> field(f, null, false, false)).toList(),
        plan.inputs(),
        plan.find(),
        notFound,
        config.ready() == null
            ? null
            : new Readiness(
                config.ready().path(),
                config.ready().values(),
                config.ready().failed(),
                config.ready().gone()),
        references,
        plan.tags(),
        config.lateInitializeOrEmpty(),
        config.terminalCodesOrEmpty(),
        shapes,
        kind.secrets());
  }

  /**
   * What a reference points at and which of the target's values it takes: as configured, or by the
   * field's name: an ARN (also for a kind jack does not model), the target's ID or its name.
   */
  private static ReferenceDescriptor reference(
      KindModel kind, String path, Reference reference, Function<String, KindModel> kinds) {
    String where = kind.service() + " " + kind.kind() + ": reference " + path;
    boolean list = shapeAt(kind, path, where).type() == Shape.ShapeType.LIST;
    String name = path.substring(path.lastIndexOf('.') + 1).replace("[]", "");
    String value =
        reference.path() != null ? reference.path() : valuePath(kind, name, list, reference, kinds);
    if (value == null) {
      throw new IllegalArgumentException(
          where + ": cannot tell which value of " + reference.resource() + " it takes: set path");
    }
    return new ReferenceDescriptor(
        reference.service(),
        reference.resource(),
        value,
        KindModel.referenceFieldName(name, list),
        list,
        reference.format());
  }

  /** The referenced kind's value that a field named {@code name} takes, or null if unclear. */
  private static String valuePath(
      KindModel kind,
      String name,
      boolean list,
      Reference reference,
      Function<String, KindModel> kinds) {
    String stem = list ? name.replaceAll("s$", "") : name;
    boolean id = stem.endsWith("ID") || stem.endsWith("Id");
    boolean byName = stem.endsWith("Name");
    String service = reference.service() != null ? reference.service() : kind.service();
    KindModel target = kinds.apply(service + "/" + reference.resource());
    if (stem.endsWith("ARN") || stem.endsWith("Arn") || (target == null && !id && !byName)) {
      return "status.ackResourceMetadata.arn";
    }
    if (target == null) {
      return null;
    }
    if (id) {
      String wanted = Names.lowerCamel(reference.resource()) + "ID";
      List<Field> ids =
          target.status().stream()
              .filter(f -> f.name().equals(wanted) || f.name().equals("id"))
              .toList();
      return ids.size() == 1 ? "status." + ids.get(0).name() : null;
    }
    if (byName) {
      List<Field> names =
          target.spec().stream()
              .filter(f -> f.name().equals("name") || f.name().equals(stem))
              .toList();
      return names.size() == 1 ? "spec." + names.get(0).name() : null;
    }
    // A name that says nothing (role, routeTables, s3Bucket): the target's ARN if it has one, else
    // the configuration must say.
    return target.arn() != null || target.config().arnTemplate() != null
        ? "status.ackResourceMetadata.arn"
        : null;
  }

  /** The shape of the spec field at a dotted CRD path, through lists ({@code rules[].groupID}). */
  private static Shape shapeAt(KindModel kind, String path, String where) {
    String[] parts = path.replace("[]", "").split("\\.");
    Shape shape =
        kind.spec().stream()
            .filter(f -> f.name().equals(parts[0]))
            .map(Field::shape)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException(where + " names no spec field"));
    for (int i = 1; i < parts.length; i++) {
      while (shape.type() == Shape.ShapeType.LIST) {
        shape = shape.element();
      }
      String part = parts[i];
      Shape current = shape;
      shape =
          current.members().entrySet().stream()
              .filter(m -> Names.memberName(m.getKey(), m.getValue()).equals(part))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException(where + " has no " + part));
    }
    return shape;
  }

  public static String json(KindDescriptor descriptor) {
    try {
      return JSON.writeValueAsString(descriptor) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether AWS returns the field's value, so that it can be compared with the spec. */
  private static boolean observed(Field field, KindModel kind, Plan plan, Shape readOutput) {
    FieldConfig fc = field.config();
    if (fc != null && (fc.readByHook() || fc.readPath() != null || fc.read() != null)) {
      return true;
    }
    if (kind.config().manager() != null || field.origin() == Origin.ATTRIBUTE) {
      return true;
    }
    if (plan.tags() != null && plan.tags().path().split("\\.")[0].equals(field.name())) {
      return plan.tags().list() != null
          || (readOutput != null && readOutput.members().containsKey(field.awsName()));
    }
    return field.origin() == Origin.CREATE_INPUT
        && readOutput != null
        && readOutput.members().containsKey(field.awsName())
        && returnsAll(readOutput.members().get(field.awsName()), field.shape(), 0);
  }

  /**
   * Whether a value read in shape {@code read} can hold everything the user sets in shape {@code
   * written}: a structure AWS returns without some members the create takes (a broker's users
   * without their passwords, a layer's content as a location instead of its S3 object) cannot be
   * compared, only remembered.
   */
  static boolean returnsAll(Shape read, Shape written, int depth) {
    if (read == null || written == null || depth > 8) {
      return read != null;
    }
    return switch (written.type()) {
      case STRUCTURE ->
          read.type() == Shape.ShapeType.STRUCTURE
              && written.members().entrySet().stream()
                  .allMatch(
                      m -> returnsAll(read.members().get(m.getKey()), m.getValue(), depth + 1));
      case LIST ->
          read.type() == Shape.ShapeType.LIST
              && returnsAll(read.element(), written.element(), depth + 1);
      case MAP ->
          read.type() == Shape.ShapeType.MAP
              && returnsAll(read.value(), written.value(), depth + 1);
      default ->
          read.type() != Shape.ShapeType.STRUCTURE
              && read.type() != Shape.ShapeType.LIST
              && read.type() != Shape.ShapeType.MAP;
    };
  }

  private static FieldDescriptor field(
      Field field, String update, boolean unobserved, boolean secret) {
    FieldConfig fc = field.config();
    return new FieldDescriptor(
        field.name(),
        field.awsName(),
        field.origin(),
        field.operation(),
        structureName(field.shape()),
        field.required(),
        field.immutable(),
        update,
        fc == null ? null : fc.readPath(),
        fc == null || field.origin() != Origin.OPERATION_INPUT ? null : fc.read(),
        fc == null || field.origin() != Origin.OPERATION_INPUT ? null : fc.remove(),
        unobserved,
        fc != null && fc.unordered(),
        isEach(field),
        secret);
  }

  /** A list of what one call of another operation takes: added, removed and listed per item. */
  static boolean isEach(Field field) {
    FieldConfig fc = field.config();
    return fc != null
        && fc.list()
        && fc.from() != null
        && !fc.updateByHook()
        && field.origin() == Origin.OPERATION_INPUT;
  }

  private static String structureName(Shape shape) {
    return switch (shape.type()) {
      case STRUCTURE -> shape.name();
      case LIST -> structureName(shape.element());
      case MAP -> structureName(shape.value());
      default -> null;
    };
  }

  private static void collectShapes(Shape shape, Map<String, Map<String, String>> shapes) {
    switch (shape.type()) {
      case LIST -> collectShapes(shape.element(), shapes);
      case MAP -> collectShapes(shape.value(), shapes);
      case STRUCTURE -> {
        if (shapes.containsKey(shape.name())) {
          return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        shapes.put(shape.name(), names);
        shape
            .members()
            .forEach((awsName, member) -> names.put(awsName, Names.memberName(awsName, member)));
        shape.members().values().forEach(member -> collectShapes(member, shapes));
      }
      default -> {}
    }
  }
}

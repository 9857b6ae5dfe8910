package dev.jack.codegen;

import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.codegen.KindModel.Field;
import dev.jack.codegen.ServiceConfig.FieldConfig;
import dev.jack.codegen.ServiceConfig.ResourceConfig;
import dev.jack.codegen.Shape.ShapeType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Derives a kind's fields from the AWS model, applying the configured exceptions:
 *
 * <ul>
 *   <li>spec: the create input's members, the attributes listed as such, and fields taken from
 *       other operations' inputs or from a named shape;
 *   <li>status: the create output's members (inside its wrapper, if any) that are not in spec, and
 *       the attributes and output members listed as status;
 *   <li>the field marked {@code arn} is the source of {@code status.ackResourceMetadata.arn}; it is
 *       also a status field only when it says {@code status}.
 * </ul>
 */
public final class KindResolver {

  private final ServiceConfig service;
  private final SdkModel model;
  private final ModelDocs docs;

  public KindResolver(ServiceConfig service, SdkModel model, ModelDocs docs) {
    this.service = service;
    this.model = model;
    this.docs = docs;
  }

  public KindModel resolve(String kind, ResourceConfig config) {
    String where = service.service() + " " + kind;
    if (config.operations() == null || config.operations().create() == null) {
      throw new IllegalArgumentException(where + ": operations.create is required");
    }
    String create = config.operations().create();
    Map<String, FieldConfig> configs = config.fieldsOrEmpty();
    Set<String> used = new HashSet<>();
    Set<String> ignored = new HashSet<>(config.ignoreOrEmpty());
    if (config.attributes() != null) {
      ignored.add(config.attributes());
    }

    Map<String, Field> spec = new LinkedHashMap<>();
    Map<String, Field> status = new LinkedHashMap<>();
    Field arn = null;

    for (Map.Entry<String, Shape> member : model.input(create).members().entrySet()) {
      String awsName = member.getKey();
      if (ignored.contains(awsName)) {
        continue;
      }
      FieldConfig fc = configs.get(awsName);
      used.add(awsName);
      put(
          where,
          spec,
          field(
                  name(awsName, member.getValue(), fc),
                  awsName,
                  member.getValue(),
                  fc,
                  Origin.CREATE_INPUT,
                  create)
              .withDescription(docs.input(create, awsName)));
    }

    Set<String> createMembers = new HashSet<>(model.input(create).members().keySet());
    createMembers.addAll(unwrap(model.output(create), config).members().keySet());
    for (Map.Entry<String, FieldConfig> entry : configs.entrySet()) {
      String key = entry.getKey();
      FieldConfig fc = entry.getValue();
      Field field;
      if (key.contains(".")) {
        continue; // a nested member: see secrets
      } else if (fc.attribute()) {
        if (config.attributes() == null) {
          throw new IllegalArgumentException(
              where + ": " + key + " is an attribute, but no 'attributes' member is configured");
        }
        Shape string = Shape.scalar(ShapeType.STRING);
        field = field(name(key, string, fc), key, string, fc, Origin.ATTRIBUTE, create);
      } else if (fc.from() != null) {
        field = fromOperation(where, key, fc);
      } else if (fc.shape() != null) {
        Shape shape = model.structure(fc.shape());
        shape = fc.list() ? Shape.list(shape) : shape;
        field = field(name(key, shape, fc), fc.shape(), shape, fc, Origin.CUSTOM, null);
      } else if (fc.type() != null && !createMembers.contains(key)) {
        // A field of ACK's own, in no AWS model: a scalar that only hooks map.
        Shape shape = scalar(where, key, fc.type());
        shape = fc.list() ? Shape.list(shape) : shape;
        field = field(name(key, shape, fc), key, shape, fc, Origin.CUSTOM, null);
      } else {
        continue;
      }
      used.add(key);
      if (fc.arn()) {
        arn = field;
      }
      if (fc.status()) {
        put(where, status, field);
      } else if (!fc.arn()) {
        put(where, spec, field);
      }
    }

    Set<String> ignoredStatus = new HashSet<>(config.ignoreStatusOrEmpty());
    Shape createOutput = unwrap(model.output(create), config);
    for (Map.Entry<String, Shape> member : createOutput.members().entrySet()) {
      String awsName = member.getKey();
      if (ignoredStatus.contains(awsName)) {
        continue;
      }
      FieldConfig fc = configs.get(awsName);
      String name = name(awsName, member.getValue(), fc);
      Field field =
          field(name, awsName, member.getValue(), fc, Origin.OUTPUT, create)
              .withDescription(
                  config.outputWrapper() == null
                      ? docs.output(create, awsName)
                      : docs.member(createOutput.name(), awsName));
      if (fc != null && fc.arn() && !used.contains(awsName)) {
        used.add(awsName);
        arn = field;
        if (!fc.status()) {
          continue;
        }
      }
      used.add(awsName);
      if (!spec.containsKey(name)) {
        status.putIfAbsent(name, field);
      }
    }

    List<String> secrets = secrets(where, spec, configs, used);

    Set<String> unused = new HashSet<>(configs.keySet());
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ": configured fields match no member of "
              + create
              + " and say neither 'attribute', 'from' nor 'shape': "
              + unused);
    }
    return new KindModel(
        service.service(),
        service.group(),
        kind,
        config.plural() != null ? config.plural() : plural(kind),
        config,
        List.copyOf(spec.values()),
        List.copyOf(status.values()),
        arn,
        config.printerColumnsOrEmpty(),
        secrets);
  }

  /**
   * The CRD paths of the values configured {@code secret}: spec fields by their AWS name, and
   * members nested in them by a dotted path of AWS names ({@code Users.Password}).
   */
  private List<String> secrets(
      String where, Map<String, Field> spec, Map<String, FieldConfig> configs, Set<String> used) {
    List<String> paths = new java.util.ArrayList<>();
    for (Map.Entry<String, FieldConfig> entry : configs.entrySet()) {
      String key = entry.getKey();
      FieldConfig fc = entry.getValue();
      if (!fc.secret()) {
        continue;
      }
      String[] parts = key.split("\\.");
      Field field =
          spec.values().stream()
              .filter(f -> f.awsName().equals(parts[0]) || f.name().equals(parts[0]))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where + ": secret " + key + " is no spec field's member"));
      if (field.origin() != Origin.CREATE_INPUT && field.origin() != Origin.OPERATION_INPUT) {
        throw new IllegalArgumentException(
            where
                + ": secret "
                + key
                + " must be an input member of an operation, not "
                + field.origin());
      }
      if (parts.length > 1 && !fc.equals(secretOnly())) {
        throw new IllegalArgumentException(
            where + ": " + key + " is a nested member: it may only say secret");
      }
      String path = field.name();
      Shape shape = field.shape();
      for (int i = 1; i < parts.length; i++) {
        while (shape.type() == ShapeType.LIST) {
          shape = shape.element();
          path += "[]";
        }
        Shape member = shape.members().get(parts[i]);
        if (member == null) {
          throw new IllegalArgumentException(
              where + ": secret " + key + ": " + shape.name() + " has no member " + parts[i]);
        }
        path += "." + Names.memberName(parts[i], member);
        shape = member;
      }
      if (shape.type() == ShapeType.LIST) {
        shape = shape.element();
        path += "[]";
      }
      if (shape.type() != ShapeType.STRING || field.jsonType() != null) {
        throw new IllegalArgumentException(
            where + ": secret " + key + " must be a string or a list of strings");
      }
      used.add(key);
      paths.add(path);
    }
    java.util.Collections.sort(paths);
    return List.copyOf(paths);
  }

  private static FieldConfig secretOnly() {
    return new FieldConfig(
        null, false, false, false, false, false, null, null, false, null, null, null, null, null,
        false, false, false, true, null);
  }

  private Field fromOperation(String where, String key, FieldConfig fc) {
    String[] path = fc.from().split("\\.");
    if (path.length < 2) {
      throw new IllegalArgumentException(
          where + ": " + key + ".from must be Operation.Member[.Member...], not " + fc.from());
    }
    Shape shape = fc.status() ? model.output(path[0]) : model.input(path[0]);
    String description = null;
    for (int i = 1; i < path.length; i++) {
      if (i == 1) {
        description = fc.status() ? docs.output(path[0], path[1]) : docs.input(path[0], path[1]);
      } else {
        description = docs.member(shape.name(), path[i]);
      }
      Shape member = shape.members().get(path[i]);
      if (member == null) {
        throw new IllegalArgumentException(
            where
                + ": "
                + key
                + ".from: "
                + shape.name()
                + " has no member "
                + path[i]
                + "; it has "
                + shape.members().keySet());
      }
      shape = member;
    }
    shape = fc.list() ? Shape.list(shape) : shape;
    String member = path[path.length - 1];
    return field(
            name(key, shape, fc),
            member,
            shape,
            fc,
            fc.status() ? Origin.OUTPUT : Origin.OPERATION_INPUT,
            path[0])
        .withDescription(description);
  }

  private Shape unwrap(Shape output, ResourceConfig config) {
    if (config.outputWrapper() == null) {
      return output;
    }
    Shape wrapped = output.members().get(config.outputWrapper());
    if (wrapped != null && wrapped.type() == ShapeType.LIST) {
      // A list of what was created, one here (RunInstances' Instances): its first element.
      wrapped = wrapped.element();
    }
    if (wrapped == null || !wrapped.isStructure()) {
      throw new IllegalArgumentException(
          output.name() + " has no structure member " + config.outputWrapper());
    }
    return wrapped;
  }

  private static Shape scalar(String where, String key, String type) {
    return switch (type) {
      case "string" -> Shape.scalar(ShapeType.STRING);
      case "integer" -> Shape.scalar(ShapeType.INTEGER);
      case "number" -> Shape.scalar(ShapeType.NUMBER);
      case "boolean" -> Shape.scalar(ShapeType.BOOLEAN);
      default ->
          throw new IllegalArgumentException(
              where + ": " + key + ".type must be string, integer, number or boolean, not " + type);
    };
  }

  /** English plural of a kind, lower-cased: {@code Repository} to {@code repositories}. */
  public static String plural(String kind) {
    String lower = kind.toLowerCase(Locale.ROOT);
    if (lower.endsWith("y") && !lower.matches(".*[aeiou]y$")) {
      return lower.substring(0, lower.length() - 1) + "ies";
    }
    if (lower.endsWith("s")
        || lower.endsWith("x")
        || lower.endsWith("ch")
        || lower.endsWith("sh")) {
      return lower + "es";
    }
    return lower + "s";
  }

  private static String name(String awsName, Shape shape, FieldConfig fc) {
    return fc != null && fc.rename() != null ? fc.rename() : Names.memberName(awsName, shape);
  }

  private static Field field(
      String name, String awsName, Shape shape, FieldConfig fc, Origin origin, String operation) {
    if (fc == null) {
      return new Field(name, awsName, shape, null, origin, operation, false, false, null, null);
    }
    return new Field(
        name,
        awsName,
        shape,
        fc.type(),
        origin,
        operation,
        fc.required(),
        fc.immutable(),
        null,
        fc);
  }

  private static void put(String where, Map<String, Field> fields, Field field) {
    if (fields.putIfAbsent(field.name(), field) != null) {
      throw new IllegalArgumentException(where + ": two fields are named " + field.name());
    }
  }
}

package dev.jack.codegen;

import dev.jack.codegen.KindModel.Field;
import dev.jack.codegen.KindModel.Origin;
import dev.jack.codegen.ServiceConfig.FieldConfig;
import dev.jack.codegen.ServiceConfig.ResourceConfig;
import dev.jack.codegen.Shape.ShapeType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Derives a kind's fields from the AWS model, applying the configured exceptions:
 *
 * <ul>
 *   <li>spec: the create input's members, the attributes listed as such, and fields taken from
 *       other operations' inputs;
 *   <li>status: the create output's members (inside its wrapper, if any) that are not in spec,
 *       observed attributes and output members listed as status;
 *   <li>the member marked {@code arn} goes to {@code status.ackResourceMetadata.arn}.
 * </ul>
 */
public final class KindResolver {

  private final ServiceConfig service;
  private final SdkModel model;

  public KindResolver(ServiceConfig service, SdkModel model) {
    this.service = service;
    this.model = model;
  }

  public KindModel resolve(String kind, ResourceConfig config) {
    String where = service.service() + " " + kind;
    if (config.operations() == null || config.operations().create() == null) {
      throw new IllegalArgumentException(where + ": operations.create is required");
    }
    Map<String, FieldConfig> fieldConfigs = new LinkedHashMap<>(config.fieldsOrEmpty());
    Set<String> ignored = new LinkedHashSet<>(config.ignoreOrEmpty());
    if (config.attributes() != null) {
      ignored.add(config.attributes());
    }

    Map<String, Field> spec = new LinkedHashMap<>();
    Map<String, Field> status = new LinkedHashMap<>();
    Field arn = null;

    String create = config.operations().create();
    Shape createInput = model.input(create);
    for (Map.Entry<String, Shape> member : createInput.members().entrySet()) {
      String awsName = member.getKey();
      if (ignored.contains(awsName)) {
        continue;
      }
      FieldConfig fc = fieldConfigs.remove(awsName);
      Field field = field(awsName, member.getValue(), fc, Origin.CREATE_INPUT, create);
      put(where, spec, field);
    }

    for (Map.Entry<String, FieldConfig> entry : List.copyOf(fieldConfigs.entrySet())) {
      String key = entry.getKey();
      FieldConfig fc = entry.getValue();
      if (fc.attribute()) {
        if (config.attributes() == null) {
          throw new IllegalArgumentException(
              where + ": " + key + " is an attribute, but no 'attributes' member is configured");
        }
        fieldConfigs.remove(key);
        Field field = field(key, Shape.scalar(ShapeType.STRING), fc, Origin.ATTRIBUTE, create);
        if (fc.arn()) {
          arn = field;
        } else {
          put(where, fc.status() ? status : spec, field);
        }
      } else if (fc.from() != null) {
        fieldConfigs.remove(key);
        String[] parts = fc.from().split("\\.", 2);
        if (parts.length != 2) {
          throw new IllegalArgumentException(
              where + ": " + key + ".from must be Operation.Member, not " + fc.from());
        }
        Shape carrier =
            fc.status() ? unwrap(model.output(parts[0]), config) : model.input(parts[0]);
        Shape shape = carrier.members().get(parts[1]);
        if (shape == null) {
          throw new IllegalArgumentException(
              where
                  + ": "
                  + key
                  + ".from: "
                  + parts[0]
                  + " has no member "
                  + parts[1]
                  + "; it has "
                  + carrier.members().keySet());
        }
        Field field =
            named(
                fc.rename() != null ? fc.rename() : Names.lowerCamel(key),
                parts[1],
                fc.list() ? Shape.list(shape) : shape,
                fc,
                fc.status() ? Origin.OUTPUT : Origin.OPERATION_INPUT,
                parts[0]);
        if (fc.arn()) {
          arn = field;
        } else {
          put(where, fc.status() ? status : spec, field);
        }
      }
    }

    Set<String> specNames = new LinkedHashSet<>();
    spec.values().forEach(f -> specNames.add(f.name()));
    Set<String> ignoredStatus = new LinkedHashSet<>(config.ignoreStatusOrEmpty());
    Shape createOutput = unwrap(model.output(create), config);
    for (Map.Entry<String, Shape> member : createOutput.members().entrySet()) {
      String awsName = member.getKey();
      if (ignoredStatus.contains(awsName)) {
        continue;
      }
      FieldConfig fc = fieldConfigs.remove(awsName);
      Field field = field(awsName, member.getValue(), fc, Origin.OUTPUT, create);
      if (fc != null && fc.arn()) {
        arn = field;
      } else if (!specNames.contains(field.name()) && !status.containsKey(field.name())) {
        status.put(field.name(), field);
      }
    }

    if (!fieldConfigs.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ": configured fields match no member of "
              + create
              + " and say neither 'attribute' nor 'from': "
              + fieldConfigs.keySet());
    }
    String plural = config.plural() != null ? config.plural() : kind.toLowerCase(Locale.ROOT) + "s";
    return new KindModel(
        service.service(),
        service.group(),
        kind,
        plural,
        config,
        List.copyOf(spec.values()),
        List.copyOf(status.values()),
        arn,
        config.printerColumnsOrEmpty());
  }

  private Shape unwrap(Shape output, ResourceConfig config) {
    if (config.outputWrapper() == null) {
      return output;
    }
    Shape wrapped = output.members().get(config.outputWrapper());
    if (wrapped == null || !wrapped.isStructure()) {
      throw new IllegalArgumentException(
          output.name() + " has no structure member " + config.outputWrapper());
    }
    return wrapped;
  }

  private static Field field(
      String awsName, Shape shape, FieldConfig fc, Origin origin, String operation) {
    String name =
        fc != null && fc.rename() != null ? fc.rename() : Names.memberName(awsName, shape);
    return named(name, awsName, shape, fc, origin, operation);
  }

  private static Field named(
      String name, String awsName, Shape shape, FieldConfig fc, Origin origin, String operation) {
    if (fc == null) {
      return new Field(name, awsName, shape, null, origin, operation, false, false);
    }
    return new Field(
        name, awsName, shape, fc.type(), origin, operation, fc.required(), fc.immutable());
  }

  private static void put(String where, Map<String, Field> fields, Field field) {
    if (fields.putIfAbsent(field.name(), field) != null) {
      throw new IllegalArgumentException(where + ": two fields are named " + field.name());
    }
  }
}

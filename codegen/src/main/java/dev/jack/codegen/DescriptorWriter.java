package dev.jack.codegen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.Operations;
import dev.jack.api.descriptor.KindDescriptor.ReferenceDescriptor;
import dev.jack.api.descriptor.KindDescriptor.TagFormat;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import dev.jack.codegen.KindModel.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes the descriptor the runtime reads for a kind (see {@link KindDescriptor}). */
public final class DescriptorWriter {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private DescriptorWriter() {}

  public static KindDescriptor descriptor(KindModel kind, String sdkPackage) {
    Map<String, Map<String, String>> shapes = new TreeMap<>();
    kind.spec().forEach(f -> collectShapes(f.shape(), shapes));
    kind.status().forEach(f -> collectShapes(f.shape(), shapes));
    Map<String, ReferenceDescriptor> references = new TreeMap<>();
    kind.config()
        .referencesOrEmpty()
        .forEach(
            (path, r) -> references.put(path, new ReferenceDescriptor(r.service(), r.resource())));
    ServiceConfig.Operations ops = kind.config().operations();
    return new KindDescriptor(
        kind.service(),
        kind.group(),
        CrdWriter.VERSION,
        kind.kind(),
        kind.plural(),
        sdkPackage,
        new Operations(ops.create(), ops.read(), ops.update(), ops.delete()),
        kind.config().outputWrapper(),
        kind.config().attributes(),
        kind.arn() == null ? null : field(kind.arn()),
        kind.spec().stream().map(DescriptorWriter::field).toList(),
        kind.status().stream().map(DescriptorWriter::field).toList(),
        references,
        tags(kind),
        kind.config().lateInitializeOrEmpty(),
        kind.config().terminalCodesOrEmpty(),
        shapes);
  }

  /** Finds the tags' shape at the configured path and tells the runtime how to read it. */
  private static TagsDescriptor tags(KindModel kind) {
    String path = kind.config().tags();
    if (path == null) {
      return null;
    }
    String[] parts = path.split("\\.");
    Shape shape =
        kind.spec().stream()
            .filter(f -> f.name().equals(parts[0]))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        kind.kind() + ": tags path " + path + " names no spec field"))
            .shape();
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
                          kind.kind() + ": tags path " + path + " has no " + name));
    }
    if (shape.type() == Shape.ShapeType.MAP) {
      return new TagsDescriptor(path, TagFormat.MAP, null, null);
    }
    if (shape.type() == Shape.ShapeType.LIST && shape.element().isStructure()) {
      List<String> members = List.copyOf(shape.element().members().keySet());
      String key = members.stream().filter(m -> m.equalsIgnoreCase("key")).findFirst().orElse(null);
      String value =
          members.stream().filter(m -> m.equalsIgnoreCase("value")).findFirst().orElse(null);
      if (key != null && value != null) {
        return new TagsDescriptor(path, TagFormat.KEY_VALUE_LIST, key, value);
      }
    }
    throw new IllegalArgumentException(
        kind.kind()
            + ": tags at "
            + path
            + " are neither a map nor a list of key/value structures");
  }

  public static String json(KindDescriptor descriptor) {
    try {
      return JSON.writeValueAsString(descriptor) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FieldDescriptor field(Field field) {
    return new FieldDescriptor(
        field.name(),
        field.awsName(),
        field.origin(),
        field.operation(),
        structureName(field.shape()),
        field.required(),
        field.immutable());
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

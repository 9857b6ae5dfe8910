package dev.jack.codegen;

import java.util.Map;

/**
 * One shape of the AWS model as the SDK for Java v2 describes it: a scalar, a list, a map or a
 * structure with named members (in the model's order).
 *
 * @param name the model's shape name for structures, else the type's name
 * @param type what kind of value it is
 * @param members a structure's members by AWS member name; empty otherwise
 * @param element a list's element shape; null otherwise
 * @param value a map's value shape (keys are strings); null otherwise
 */
public record Shape(
    String name, ShapeType type, Map<String, Shape> members, Shape element, Shape value) {

  public enum ShapeType {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    TIMESTAMP,
    BLOB,
    LIST,
    MAP,
    STRUCTURE,
    /** Free-form JSON (a model document, or a structure that contains itself). */
    DOCUMENT
  }

  public static Shape scalar(ShapeType type) {
    return new Shape(type.name().toLowerCase(), type, Map.of(), null, null);
  }

  public static Shape list(Shape element) {
    return new Shape("list", ShapeType.LIST, Map.of(), element, null);
  }

  public static Shape map(Shape value) {
    return new Shape("map", ShapeType.MAP, Map.of(), null, value);
  }

  public boolean isStructure() {
    return type == ShapeType.STRUCTURE;
  }
}

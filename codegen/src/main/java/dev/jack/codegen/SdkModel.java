package dev.jack.codegen;

import dev.jack.codegen.Shape.ShapeType;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TraitType;

/**
 * Reads one AWS service's model from the SDK for Java v2 classes that jack calls AWS with: the
 * request and response structures of an operation and every shape nested in them, from their {@code
 * SdkPojo.sdkFields()} metadata.
 */
public final class SdkModel {

  private final String service;
  private final String modelPackage;
  private final Map<Class<?>, Shape> structures = new LinkedHashMap<>();

  public SdkModel(String service, String sdkPackage) {
    this.service = service;
    this.modelPackage = sdkPackage + ".model";
  }

  /**
   * The input structure of {@code operation} ({@code CreateQueue} reads {@code
   * CreateQueueRequest}).
   */
  public Shape input(String operation) {
    return structure(modelClass(operation + "Request"));
  }

  /**
   * The members of an operation's input that are idempotency tokens: the SDK fills them with a new
   * random value when they are empty.
   */
  public java.util.Set<String> idempotencyTokens(String operation) {
    java.util.Set<String> tokens = new java.util.LinkedHashSet<>();
    for (SdkField<?> field : fieldsOf(modelClass(operation + "Request"))) {
      if (field.getTrait(
              software.amazon.awssdk.core.traits.DefaultValueTrait.class,
              TraitType.DEFAULT_VALUE_TRAIT)
          != null) {
        tokens.add(field.memberName());
      }
    }
    return tokens;
  }

  /**
   * The values of the enum of this shape name ({@code ResourceType}), as AWS spells them; empty
   * when the shape is no enum.
   */
  public java.util.Set<String> enumValues(String shapeName) {
    Class<?> type = modelClass(shapeName);
    java.util.Set<String> values = new java.util.LinkedHashSet<>();
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (!((Enum<?>) constant).name().equals("UNKNOWN_TO_SDK_VERSION")) {
          values.add(constant.toString());
        }
      }
    }
    return values;
  }

  /** The output structure of {@code operation}. */
  public Shape output(String operation) {
    return structure(modelClass(operation + "Response"));
  }

  /**
   * The service's synchronous client interface ({@code
   * software.amazon.awssdk.services.sns.SnsClient}), found in the SDK module's jar.
   */
  public String clientInterface() {
    String sdkPackage = modelPackage.substring(0, modelPackage.length() - ".model".length());
    String prefix = sdkPackage.replace('.', '/') + "/";
    java.net.URL jar =
        software.amazon.awssdk.core.SdkClient.class.getClassLoader().getResource(prefix);
    if (jar == null || !jar.getProtocol().equals("jar")) {
      throw new IllegalArgumentException(service + ": the SDK has no package " + sdkPackage);
    }
    String path = jar.getPath();
    String file = path.substring("file:".length(), path.indexOf("!/"));
    try (java.util.jar.JarFile entries =
        new java.util.jar.JarFile(
            java.net.URLDecoder.decode(file, java.nio.charset.StandardCharsets.UTF_8))) {
      List<String> clients =
          entries.stream()
              .map(java.util.zip.ZipEntry::getName)
              .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
              .filter(n -> n.endsWith("Client.class") && !n.contains("Async") && !n.contains("$"))
              .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
              .filter(SdkModel::isClientInterface)
              .toList();
      if (clients.size() != 1) {
        throw new IllegalArgumentException(
            service + ": expected one client interface in " + sdkPackage + ", found " + clients);
      }
      return clients.get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The operations whose name the SDK's request classes spell with other capitals, by the request
   * class's name without {@code Request}: {@code DescribeDbInstances} is DescribeDBInstances, and
   * the client's method {@code describeDBInstances}. The SDK names a client's method after the
   * operation, with a small first letter, and its request class after the operation in its own
   * capitals.
   */
  public java.util.SortedMap<String, String> operationNames() {
    java.util.SortedMap<String, String> names = new java.util.TreeMap<>();
    try {
      for (java.lang.reflect.Method method : Class.forName(clientInterface()).getMethods()) {
        String request =
            method.getParameterTypes().length == 1
                ? method.getParameterTypes()[0].getSimpleName()
                : "";
        // Not a paginator's or a streaming operation's other methods: the call, which answers.
        if (!request.endsWith("Request")
            || !software.amazon.awssdk.core.SdkResponse.class.isAssignableFrom(
                method.getReturnType())) {
          continue;
        }
        String spelled = request.substring(0, request.length() - "Request".length());
        String name =
            Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
        if (!name.equals(spelled)) {
          names.put(spelled, name);
        }
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(service + ": " + e.getMessage(), e);
    }
    return names;
  }

  private static boolean isClientInterface(String className) {
    try {
      Class<?> type = Class.forName(className);
      return type.isInterface()
          && software.amazon.awssdk.core.SdkClient.class.isAssignableFrom(type);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** A structure by its model name ({@code Tag}, {@code TableDescription}). */
  public Shape structure(String shapeName) {
    return structure(modelClass(shapeName));
  }

  private Class<?> modelClass(String simpleName) {
    try {
      return Class.forName(modelPackage + "." + simpleName);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          service + ": the SDK has no model class " + modelPackage + "." + simpleName, e);
    }
  }

  private Shape structure(Class<?> type) {
    return structure(type, new ArrayDeque<>());
  }

  private Shape structure(Class<?> type, Deque<Class<?>> enclosing) {
    Shape known = structures.get(type);
    if (known != null) {
      return known;
    }
    if (enclosing.contains(type)) {
      // A structure that contains itself cannot be spelled out in a CRD schema.
      return new Shape(type.getSimpleName(), ShapeType.DOCUMENT, Map.of(), null, null);
    }
    enclosing.push(type);
    Map<String, Shape> members = new LinkedHashMap<>();
    Map<String, String> enums = enumGetters(type);
    for (SdkField<?> field : fieldsOf(type)) {
      Shape shape = shapeOf(field, enclosing);
      String enumName = enums.get(field.memberName().toLowerCase(Locale.ROOT));
      if (enumName != null && shape.type() == ShapeType.STRING) {
        shape = new Shape(enumName, ShapeType.STRING, Map.of(), null, null);
      }
      members.put(field.memberName(), shape);
    }
    enclosing.pop();
    Shape shape = new Shape(type.getSimpleName(), ShapeType.STRUCTURE, members, null, null);
    structures.put(type, shape);
    return shape;
  }

  private Shape shapeOf(SdkField<?> field, Deque<Class<?>> enclosing) {
    return switch (field.marshallingType().toString()) {
      case "String" -> Shape.scalar(ShapeType.STRING);
      case "Integer", "Long", "Short", "Byte" -> Shape.scalar(ShapeType.INTEGER);
      case "Float", "Double", "BigDecimal" -> Shape.scalar(ShapeType.NUMBER);
      case "Boolean" -> Shape.scalar(ShapeType.BOOLEAN);
      case "Instant" -> Shape.scalar(ShapeType.TIMESTAMP);
      case "SdkBytes" -> Shape.scalar(ShapeType.BLOB);
      case "Document" -> new Shape("document", ShapeType.DOCUMENT, Map.of(), null, null);
      case "List" -> {
        ListTrait trait = field.getTrait(ListTrait.class, TraitType.LIST_TRAIT);
        yield Shape.list(shapeOf(trait.memberFieldInfo(), enclosing));
      }
      case "Map" -> {
        MapTrait trait = field.getTrait(MapTrait.class, TraitType.MAP_TRAIT);
        yield Shape.map(shapeOf(trait.valueFieldInfo(), enclosing));
      }
      case "SdkPojo" -> structure(pojoClass(field), enclosing);
      default ->
          throw new IllegalStateException(
              service
                  + ": member "
                  + field.memberName()
                  + " has a marshalling type jack does not map: "
                  + field.marshallingType());
    };
  }

  /** The model class a structure member holds: the class whose builder its constructor makes. */
  private static Class<?> pojoClass(SdkField<?> field) {
    Class<?> builder = field.constructor().get().getClass();
    Class<?> enclosing = builder.getEnclosingClass();
    return enclosing != null ? enclosing : builder;
  }

  /** The enum types of a model class's members, by lower-cased member name. */
  private static Map<String, String> enumGetters(Class<?> type) {
    Map<String, String> enums = new LinkedHashMap<>();
    for (Method method : type.getMethods()) {
      if (method.getParameterCount() == 0 && method.getReturnType().isEnum()) {
        enums.put(
            method.getName().toLowerCase(Locale.ROOT), method.getReturnType().getSimpleName());
      }
    }
    return enums;
  }

  private static List<SdkField<?>> fieldsOf(Class<?> type) {
    try {
      Object builder = type.getMethod("builder").invoke(null);
      return ((SdkPojo) builder).sdkFields();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the SDK fields of " + type.getName(), e);
    }
  }
}

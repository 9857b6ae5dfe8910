package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TraitType;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Converts between CRD JSON and AWS SDK for Java v2 objects through the SDK's own field metadata,
 * naming structure members as the generator did (the descriptor's shape maps).
 */
public final class SdkMapper {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Per structure shape: CRD name by AWS member name. */
  private final Map<String, Map<String, String>> crdNames;

  /** Per structure shape: AWS member name by CRD name. */
  private final Map<String, Map<String, String>> awsNames = new HashMap<>();

  /** The class loader of the service's SDK, which holds its request classes. */
  private final ClassLoader sdk;

  /**
   * @param shapes per structure shape, CRD name by AWS member name
   * @param sdk the class loader that holds the service's SDK (the kind's, as a service module may
   *     be loaded apart from the runtime)
   */
  public SdkMapper(Map<String, Map<String, String>> shapes, ClassLoader sdk) {
    this.crdNames = shapes;
    this.sdk = sdk;
    shapes.forEach(
        (shape, members) -> {
          Map<String, String> reverse = new HashMap<>();
          members.forEach((aws, crd) -> reverse.put(crd, aws));
          awsNames.put(shape, reverse);
        });
  }

  /** Builds a request (or any model object) from values by AWS member name. */
  public <T> T build(Class<T> modelClass, Map<String, JsonNode> members) {
    SdkPojo builder = newBuilder(modelClass);
    for (SdkField<?> field : builder.sdkFields()) {
      JsonNode value = members.get(field.memberName());
      if (value != null && !value.isNull()) {
        setField(builder, field, value);
      }
    }
    return modelClass.cast(((SdkBuilder<?, ?>) builder).build());
  }

  /**
   * Builds the request of an operation ({@code GetBucketVersioning}) of the SDK package {@code
   * sdkPackage} from values by AWS member name.
   */
  public SdkRequest request(String sdkPackage, String operation, Map<String, JsonNode> members) {
    String className = sdkPackage + ".model." + operation + "Request";
    try {
      return (SdkRequest) build(Class.forName(className, true, sdk), members);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("the AWS SDK has no " + className, e);
    }
  }

  /** Reads every member that has a value, by AWS member name, as CRD JSON. */
  public Map<String, JsonNode> read(SdkPojo pojo) {
    Map<String, JsonNode> members = new LinkedHashMap<>();
    for (SdkField<?> field : pojo.sdkFields()) {
      JsonNode value = toJson(field, field.getValueOrDefault(pojo));
      if (value != null) {
        members.put(field.memberName(), value);
      }
    }
    return members;
  }

  /** Converts a CRD JSON structure to the SDK model object of class {@code modelClass}. */
  public <T> T fromJson(Class<T> modelClass, JsonNode structure) {
    SdkPojo builder = newBuilder(modelClass);
    fillStructure(builder, structure);
    return modelClass.cast(((SdkBuilder<?, ?>) builder).build());
  }

  /** Converts an SDK model object to its CRD JSON structure. */
  public ObjectNode toJson(SdkPojo pojo) {
    return structureToJson(pojo);
  }

  private static SdkPojo newBuilder(Class<?> modelClass) {
    try {
      return (SdkPojo) modelClass.getMethod("builder").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(modelClass.getName() + " is no AWS SDK model class", e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void setField(Object builder, SdkField<?> field, JsonNode value) {
    ((SdkField) field).set(builder, fromJson(field, value));
  }

  private Object fromJson(SdkField<?> field, JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return switch (field.marshallingType().toString()) {
      case "String" -> value.isTextual() ? value.asText() : value.toString();
      case "Integer" -> value.isNumber() ? value.intValue() : Integer.valueOf(value.asText());
      case "Long" -> value.isNumber() ? value.longValue() : Long.valueOf(value.asText());
      case "Short" -> (short) value.asInt();
      case "Byte" -> (byte) value.asInt();
      case "Float" -> (float) value.asDouble();
      case "Double" -> value.asDouble();
      case "BigDecimal" -> new BigDecimal(value.asText());
      case "Boolean" -> value.isBoolean() ? value.booleanValue() : Boolean.valueOf(value.asText());
      case "Instant" -> Instant.parse(value.asText());
      case "SdkBytes" -> SdkBytes.fromByteArray(Base64.getDecoder().decode(value.asText()));
      case "Document" -> document(value);
      case "List" -> {
        SdkField<?> member =
            field.getTrait(ListTrait.class, TraitType.LIST_TRAIT).memberFieldInfo();
        List<Object> list = new ArrayList<>();
        if (value.isArray()) {
          value.forEach(element -> list.add(fromJson(member, element)));
        } else {
          // A field that takes one of a list (ACK's FlowLog resourceID for ResourceIds).
          list.add(fromJson(member, value));
        }
        yield list;
      }
      case "Map" -> {
        SdkField<?> member = field.getTrait(MapTrait.class, TraitType.MAP_TRAIT).valueFieldInfo();
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(member, e.getValue())));
        yield map;
      }
      case "SdkPojo" -> {
        SdkPojo builder = field.constructor().get();
        fillStructure(builder, value);
        yield ((SdkBuilder<?, ?>) builder).build();
      }
      default ->
          throw new IllegalArgumentException(
              "cannot convert " + field.memberName() + " of type " + field.marshallingType());
    };
  }

  private void fillStructure(SdkPojo builder, JsonNode value) {
    Map<String, String> names = awsNames.getOrDefault(shapeName(builder), Map.of());
    Map<String, SdkField<?>> fields = new HashMap<>();
    builder.sdkFields().forEach(f -> fields.put(f.memberName(), f));
    Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String member = names.getOrDefault(entry.getKey(), entry.getKey());
      SdkField<?> field = fields.get(member);
      if (field == null) {
        throw new IllegalArgumentException(
            shapeName(builder) + " has no member for field " + entry.getKey());
      }
      if (!entry.getValue().isNull()) {
        setField(builder, field, entry.getValue());
      }
    }
  }

  private JsonNode toJson(SdkField<?> field, Object value) {
    if (value == null) {
      return null;
    }
    return switch (field.marshallingType().toString()) {
      case "String" -> JSON.textNode(value.toString());
      case "Integer", "Short", "Byte" -> JSON.numberNode(((Number) value).intValue());
      case "Long" -> JSON.numberNode(((Number) value).longValue());
      case "Float", "Double" -> JSON.numberNode(((Number) value).doubleValue());
      case "BigDecimal" -> JSON.numberNode((BigDecimal) value);
      case "Boolean" -> JSON.booleanNode((Boolean) value);
      case "Instant" -> JSON.textNode(((Instant) value).toString());
      case "SdkBytes" ->
          JSON.textNode(Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArray()));
      case "Document" -> documentToJson((Document) value);
      case "List" -> {
        List<?> list = (List<?>) value;
        if (list instanceof software.amazon.awssdk.core.util.SdkAutoConstructList) {
          yield null;
        }
        SdkField<?> member =
            field.getTrait(ListTrait.class, TraitType.LIST_TRAIT).memberFieldInfo();
        ArrayNode array = JSON.arrayNode();
        list.forEach(element -> array.add(toJson(member, element)));
        yield array;
      }
      case "Map" -> {
        Map<?, ?> map = (Map<?, ?>) value;
        if (map instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap) {
          yield null;
        }
        SdkField<?> member = field.getTrait(MapTrait.class, TraitType.MAP_TRAIT).valueFieldInfo();
        ObjectNode object = JSON.objectNode();
        map.forEach((k, v) -> object.set(k.toString(), toJson(member, v)));
        yield object;
      }
      case "SdkPojo" -> structureToJson((SdkPojo) value);
      default -> null;
    };
  }

  private ObjectNode structureToJson(SdkPojo pojo) {
    Map<String, String> names = crdNames.getOrDefault(shapeName(pojo), Map.of());
    ObjectNode object = JSON.objectNode();
    for (SdkField<?> field : pojo.sdkFields()) {
      JsonNode value = toJson(field, field.getValueOrDefault(pojo));
      if (value != null) {
        object.set(names.getOrDefault(field.memberName(), lowerFirst(field.memberName())), value);
      }
    }
    return object;
  }

  private static String lowerFirst(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /** A model class's shape name: the class itself, or the class a builder builds. */
  static String shapeName(Object pojoOrBuilder) {
    Class<?> type = pojoOrBuilder.getClass();
    Class<?> enclosing = type.getEnclosingClass();
    return enclosing != null ? enclosing.getSimpleName() : type.getSimpleName();
  }

  private static Document document(JsonNode value) {
    if (value.isObject()) {
      Map<String, Document> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(e -> map.put(e.getKey(), document(e.getValue())));
      return Document.fromMap(map);
    }
    if (value.isArray()) {
      List<Document> list = new ArrayList<>();
      value.forEach(v -> list.add(document(v)));
      return Document.fromList(list);
    }
    if (value.isNumber()) {
      return Document.fromNumber(value.decimalValue());
    }
    if (value.isBoolean()) {
      return Document.fromBoolean(value.booleanValue());
    }
    return value.isNull() ? Document.fromNull() : Document.fromString(value.asText());
  }

  private static JsonNode documentToJson(Document document) {
    if (document.isMap()) {
      ObjectNode object = JSON.objectNode();
      document.asMap().forEach((k, v) -> object.set(k, documentToJson(v)));
      return object;
    }
    if (document.isList()) {
      ArrayNode array = JSON.arrayNode();
      document.asList().forEach(v -> array.add(documentToJson(v)));
      return array;
    }
    if (document.isNumber()) {
      return JSON.numberNode(document.asNumber().bigDecimalValue());
    }
    if (document.isBoolean()) {
      return JSON.booleanNode(document.asBoolean());
    }
    return document.isNull() ? JSON.nullNode() : JSON.textNode(document.asString());
  }
}

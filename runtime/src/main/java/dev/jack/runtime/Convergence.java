package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What jack compares and what it owns for one kind: the delta between the spec and AWS, with the
 * ownership rule (what jack applied and the spec dropped is removed; what it never applied is left
 * alone), and the record of what a sync applied.
 */
final class Convergence {

  private final KindDescriptor descriptor;

  Convergence(KindDescriptor descriptor) {
    this.descriptor = descriptor;
  }

  /**
   * What differs: the fields whose desired value AWS does not have, and the fields and tags jack
   * applied before that the spec no longer sets but AWS still has (where jack can remove them).
   */
  Delta delta(ResourceState desired, ResourceState latest) {
    TagsDescriptor tags = descriptor.tags();
    String key = tags == null ? null : GenericResourceManager.crdName(tags.keyMember());
    String value = tags == null ? null : GenericResourceManager.crdName(tags.valueMember());
    // Fields AWS never returns are compared with what jack applied last; one jack has no record
    // of (a resource it found, not created) is taken as applied, and recorded from now on.
    ObjectNode observable = desired.spec().deepCopy();
    List<String> fields = new ArrayList<>();
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      if (field.unobserved()) {
        JsonNode wanted = observable.remove(field.name());
        String applied = desired.owned().unobserved().get(field.name());
        if (!field.immutable()
            && wanted != null
            && !wanted.isNull()
            && applied != null
            // Secrets jack did not read (a read-only resource) cannot tell a change.
            && (!field.secret() || desired.secrets() != null)
            && !digest(field, wanted, desired).equals(applied)) {
          fields.add(field.name());
        }
      }
    }
    // Sets of items added one by one: what the spec lists must be there, and what jack added and
    // the spec dropped must be gone; items others added do not count.
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      if (field.each() && !field.unobserved()) {
        java.util.Set<String> wanted = items(observable.remove(field.name()));
        java.util.Set<String> observed = items(latest.spec().get(field.name()));
        boolean missing = !observed.containsAll(wanted);
        boolean dropped =
            desired.owned().items().getOrDefault(field.name(), java.util.Set.of()).stream()
                .anyMatch(item -> !wanted.contains(item) && observed.contains(item));
        if (missing || dropped) {
          fields.add(field.name());
        }
      }
    }
    // A value that cannot change and that AWS does not return cannot have drifted: nothing to do.
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      // (An attribute AWS leaves out is its default, as a standard queue's FifoQueue: compared.)
      if (field.immutable()
          && field.origin() != KindDescriptor.Origin.ATTRIBUTE
          && !latest.spec().hasNonNull(field.name())) {
        observable.remove(field.name());
      }
    }
    java.util.Set<String> unordered = new java.util.HashSet<>();
    descriptor.spec().stream()
        .filter(KindDescriptor.FieldDescriptor::unordered)
        .forEach(f -> unordered.add(f.name()));
    Delta delta =
        Delta.between(
            observable, latest.spec(), tags == null ? null : tags.path(), key, value, unordered);
    fields.addAll(delta.fields());
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      if (field.remove() != null
          && !field.each()
          && desired.owned().fields().contains(field.name())
          && !desired.spec().hasNonNull(field.name())
          && latest.spec().hasNonNull(field.name())
          && !fields.contains(field.name())) {
        fields.add(field.name());
      }
    }
    if (tags != null) {
      String tagsField = tags.path().split("\\.")[0];
      Map<String, String> wanted =
          Tags.desired(Map.of(), desired.at("spec." + tags.path()), key, value);
      Map<String, String> observed =
          Tags.desired(Map.of(), latest.at("spec." + tags.path()), key, value);
      boolean untag =
          desired.ownedTags().stream()
              .anyMatch(k -> !wanted.containsKey(k) && observed.containsKey(k));
      if (untag && !fields.contains(tagsField)) {
        fields.add(tagsField);
      }
    }
    return new Delta(List.copyOf(fields));
  }

  /**
   * What jack applies with {@code desired}: the spec fields set, the user's tag keys (not jack's
   * own tags, which the spec never lists), and digests of the values AWS never returns.
   */
  Ownership applied(ResourceState desired) {
    java.util.Set<String> fields = new java.util.TreeSet<>();
    Map<String, String> unobserved = new java.util.TreeMap<>();
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      JsonNode value = desired.spec().get(field.name());
      if (value != null && !value.isNull()) {
        fields.add(field.name());
        if (field.unobserved()) {
          unobserved.put(field.name(), digest(field, value, desired));
        }
      }
    }
    java.util.Set<String> tagKeys = new java.util.TreeSet<>();
    TagsDescriptor tags = descriptor.tags();
    if (tags != null) {
      tagKeys.addAll(
          Tags.desired(
                  Map.of(),
                  desired.at("spec." + tags.path()),
                  GenericResourceManager.crdName(tags.keyMember()),
                  GenericResourceManager.crdName(tags.valueMember()))
              .keySet());
    }
    Map<String, java.util.Set<String>> items = new java.util.TreeMap<>();
    for (KindDescriptor.FieldDescriptor field : descriptor.spec()) {
      if (field.each() && desired.spec().hasNonNull(field.name())) {
        items.put(field.name(), items(desired.spec().get(field.name())));
      }
    }
    return new Ownership(fields, tagKeys, unobserved, desired.resolvedReferences(), items);
  }

  /** What a create applied: everything, but the tags only where the create call takes them. */
  Ownership appliedByCreate(ResourceState desired) {
    Ownership all = applied(desired);
    return descriptor.createTakesTags()
        ? all
        : new Ownership(
            all.fields(), java.util.Set.of(), all.unobserved(), all.references(), all.items());
  }

  /**
   * The digest of a value AWS never returns. For a field holding secret references, the digest of
   * the references and of the versions of the Secrets they named when jack read them: a new value
   * in a Secret is a new version of it, and so a change to apply, yet the digest says nothing about
   * the value (a digest of the value itself could be tested against guessed passwords).
   */
  static String digest(
      KindDescriptor.FieldDescriptor field, JsonNode value, ResourceState desired) {
    if (!field.secret()) {
      return Ownership.digest(value);
    }
    com.fasterxml.jackson.databind.node.ObjectNode material =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    material.set("references", value);
    com.fasterxml.jackson.databind.node.ArrayNode versions = material.putArray("secrets");
    if (desired.secrets() != null) {
      desired.secrets().versions().getOrDefault(field.name(), List.of()).forEach(versions::add);
    }
    return Ownership.digest(material);
  }

  /** The items of a list of scalars, as text. */
  static java.util.Set<String> items(JsonNode list) {
    java.util.Set<String> items = new java.util.LinkedHashSet<>();
    if (list != null && list.isArray()) {
      list.forEach(item -> items.add(item.asText()));
    }
    return items;
  }
}

package dev.jack.codegen;

import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.ReferenceDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A service's page ({@code services/<service>/README.md}): its kinds, what jack does with each in
 * AWS (the operations, what updates in place, what cannot change, what it references, tags, how an
 * existing resource is found), and the sample manifest of each, all from the descriptors.
 */
final class ServiceDocWriter {

  private final Path examples;

  /**
   * @param examples the examples directory ({@code examples/}), for the samples' links
   */
  ServiceDocWriter(Path examples) {
    this.examples = examples;
  }

  String page(String service, List<KindDescriptor> kinds) {
    String group = kinds.get(0).group();
    StringBuilder page = new StringBuilder();
    page.append("<!-- Written by the generator (make generate) from the descriptors. -->\n");
    page.append("# ").append(service).append(" (`").append(group).append("`)\n\n");
    page.append(kinds.size())
        .append(kinds.size() == 1 ? " kind" : " kinds")
        .append(", with ACK's API group, kinds and fields. Each is created, read, updated and")
        .append(" deleted by the AWS operations below; a field that AWS can change only by")
        .append(" replacing the resource is immutable (changing it is `ACK.Terminal`).\n\n");
    page.append("| kind | AWS operations | updates in place | immutable | references | tags |")
        .append(" found by | sample |\n");
    page.append("|---|---|---|---|---|---|---|---|\n");
    for (KindDescriptor kind : kinds) {
      page.append("| ")
          .append(kind.kind())
          .append(" | ")
          .append(operations(kind))
          .append(" | ")
          .append(updates(kind))
          .append(" | ")
          .append(names(kind.spec().stream().filter(FieldDescriptor::immutable).toList()))
          .append(" | ")
          .append(references(kind))
          .append(" | ")
          .append(kind.tags() == null ? "no" : "`" + kind.tags().path() + "`")
          .append(" | ")
          .append(found(kind))
          .append(" | ")
          .append(sample(service, kind))
          .append(" |\n");
    }
    page.append("\nFields the spec leaves out are AWS's to choose; those of `ACK.LateInitialized`")
        .append(" are copied back into the spec. Secret fields take a `SecretKeyReference`.\n");
    List<String> secrets = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (KindDescriptor kind : kinds) {
      if (!kind.secrets().isEmpty()) {
        secrets.add(kind.kind() + ": " + code(kind.secrets()));
      }
      if (!kind.lateInitialize().isEmpty()) {
        late.add(kind.kind() + ": " + code(kind.lateInitialize()));
      }
    }
    if (!late.isEmpty()) {
      page.append("\nLate-initialized: ").append(String.join("; ", late)).append(".\n");
    }
    if (!secrets.isEmpty()) {
      page.append("\nSecrets: ").append(String.join("; ", secrets)).append(".\n");
    }
    return page.toString();
  }

  private static String operations(KindDescriptor kind) {
    List<String> ops = new ArrayList<>();
    KindDescriptor.Operations o = kind.operations();
    for (String op : new String[] {o.create(), o.read(), o.update(), o.delete()}) {
      if (op != null) {
        ops.add(op);
      }
    }
    return String.join(", ", ops);
  }

  /** The fields an update changes in place, with the operations beside the kind's own update. */
  private static String updates(KindDescriptor kind) {
    Set<String> fields = new LinkedHashSet<>();
    Set<String> operations = new LinkedHashSet<>();
    for (FieldDescriptor field : kind.spec()) {
      if (field.immutable()) {
        continue;
      }
      if (field.update() != null) {
        fields.add(field.name());
        if (!field.update().equals(kind.operations().update())) {
          operations.add(field.update().equals("hook") ? "jack's own code" : field.update());
        }
      }
    }
    if (fields.isEmpty()) {
      return "none";
    }
    String text = fields.size() + " fields";
    return operations.isEmpty() ? text : text + " (also " + String.join(", ", operations) + ")";
  }

  private static String names(List<FieldDescriptor> fields) {
    return fields.isEmpty() ? "" : code(fields.stream().map(FieldDescriptor::name).toList());
  }

  private static String references(KindDescriptor kind) {
    List<String> refs = new ArrayList<>();
    for (ReferenceDescriptor ref : kind.references().values()) {
      String target = ref.service() == null ? ref.kind() : ref.service() + " " + ref.kind();
      refs.add("`" + ref.field() + "` → " + target);
    }
    return String.join(", ", refs);
  }

  private static String found(KindDescriptor kind) {
    if (kind.find() != null && kind.find().items() != null) {
      return "its identifiers, by "
          + kind.operations().read()
          + "; a create whose answer was lost, by its `jack.dev/uid` tag in "
          + kind.find().operation();
    }
    if (kind.find() != null) {
      return kind.find().operation() != null
          ? kind.find().operation()
          : "its ARN (" + kind.find().template() + ")";
    }
    return kind.operations().read() != null
        ? "its identifiers, by " + kind.operations().read()
        : "";
  }

  private String sample(String service, KindDescriptor kind) {
    String file = kind.kind().toLowerCase(Locale.ROOT) + ".yaml";
    if (!Files.isRegularFile(examples.resolve(service).resolve(file))) {
      return "";
    }
    return "[" + file + "](../../examples/" + service + "/" + file + ")";
  }

  private static String code(List<String> names) {
    return String.join(", ", names.stream().map(n -> "`" + n + "`").toList());
  }
}

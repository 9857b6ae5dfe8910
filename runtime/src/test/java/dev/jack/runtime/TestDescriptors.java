package dev.jack.runtime;

import dev.jack.api.descriptor.KindDescriptor;
import dev.jack.api.descriptor.KindDescriptor.FieldDescriptor;
import dev.jack.api.descriptor.KindDescriptor.ReferenceDescriptor;
import dev.jack.api.descriptor.KindDescriptor.TagsDescriptor;
import java.util.List;
import java.util.Map;

/** Descriptors for unit tests: a kind with only what a test sets. */
final class TestDescriptors {

  private TestDescriptors() {}

  static KindDescriptor kind(
      String service,
      String kind,
      List<FieldDescriptor> spec,
      KindDescriptor.Readiness ready,
      Map<String, ReferenceDescriptor> references,
      TagsDescriptor tags) {
    return new KindDescriptor(
        service,
        service + ".services.k8s.aws",
        "v1alpha1",
        kind,
        kind.toLowerCase() + "s",
        "software.amazon.awssdk.services." + service,
        new KindDescriptor.Operations("Create" + kind, "Get" + kind, null, "Delete" + kind),
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        spec,
        List.of(),
        Map.of(),
        null,
        List.of(),
        ready,
        references,
        tags,
        List.of(),
        List.of(),
        Map.of(),
        List.of());
  }
}

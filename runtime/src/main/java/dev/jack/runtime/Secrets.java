package dev.jack.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jack.api.descriptor.KindDescriptor;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the values of a resource's {@code SecretKeyReference}s ({@code {name, namespace, key}})
 * from their Kubernetes Secrets, for the requests jack sends to AWS. The values go nowhere else:
 * the spec keeps its references, and what jack records of a secret field (to notice a change) is a
 * digest of the references and of the versions of the Secrets they name, never of a value.
 */
final class Secrets {

  /** A Secret or key that is not there (yet): the resource waits for it, and AWS gets nothing. */
  static final class Missing extends RuntimeException {
    Missing(String message) {
      super(message);
    }
  }

  /** One Secret as jack reads it: its resource version and its data, decoded. */
  record Found(String resourceVersion, Map<String, String> data) {
    @Override
    public String toString() {
      return "Secret version " + resourceVersion + " with keys " + data.keySet();
    }
  }

  /** Reads one Secret; null when it does not exist. */
  @FunctionalInterface
  interface Reader {
    Found read(String namespace, String name);
  }

  /**
   * What a resolution found: per spec field holding secret references, the field's value with the
   * Secrets' values in place of the references (what AWS gets), and the Secret versions read for it
   * ({@code namespace/name@resourceVersion}, in path order); and the values themselves, to keep
   * them out of error messages.
   */
  record Resolution(
      Map<String, JsonNode> values, Map<String, List<String>> versions, Set<String> texts) {

    Resolution {
      values = Map.copyOf(values);
      versions = Map.copyOf(versions);
      texts = Set.copyOf(texts);
    }

    // The values must never reach a log line through a record's generated toString.
    @Override
    public String toString() {
      return "secret values of " + values.keySet() + " from " + versions;
    }
  }

  private final KindDescriptor descriptor;
  private final boolean crossNamespace;

  /**
   * @param crossNamespace {@code --enable-cross-namespace}: a reference may name a Secret of
   *     another namespace; otherwise that is Terminal
   */
  Secrets(KindDescriptor descriptor, boolean crossNamespace) {
    this.crossNamespace = crossNamespace;
    this.descriptor = descriptor;
  }

  /** Whether the kind has secret fields at all. */
  boolean any() {
    return !descriptor.secrets().isEmpty();
  }

  /**
   * Reads the value of every secret reference {@code spec} sets, leaving {@code spec} as it is.
   *
   * @param namespace the resource's namespace, where a reference without one looks
   * @throws Missing when a Secret, or its key, does not exist
   * @throws TerminalException when a reference names no Secret
   */
  Resolution resolve(ObjectNode spec, String namespace, Reader reader) {
    Map<String, JsonNode> values = new TreeMap<>();
    Map<String, List<String>> versions = new TreeMap<>();
    Map<String, Found> read = new LinkedHashMap<>();
    Set<String> texts = new LinkedHashSet<>();
    for (String path : descriptor.secrets()) {
      String field = path.split("[.\\[]", 2)[0];
      JsonNode original = spec.get(field);
      if (original == null || original.isNull()) {
        continue;
      }
      JsonNode value = values.computeIfAbsent(field, f -> original.deepCopy());
      List<String> used = versions.computeIfAbsent(field, f -> new ArrayList<>());
      // The value is a copy of the field: the field itself is the root, the rest the path in it.
      ObjectNode root = JsonNodeFactory.instance.objectNode().set(field, value);
      replace(root, steps(path), "spec", namespace, reader, read, used, texts);
      values.put(field, root.get(field));
    }
    return new Resolution(values, versions, texts);
  }

  /** A path's steps: names, and {@code []} for each element of a list. */
  private static List<String> steps(String path) {
    List<String> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      String name = part.replace("[]", "");
      steps.add(name);
      for (int i = part.indexOf("[]"); i >= 0; i = part.indexOf("[]", i + 2)) {
        steps.add("[]");
      }
    }
    return steps;
  }

  /** Replaces the references at {@code steps} below {@code holder} by their values. */
  private void replace(
      JsonNode holder,
      List<String> steps,
      String where,
      String namespace,
      Reader reader,
      Map<String, Found> read,
      List<String> used,
      Set<String> texts) {
    String step = steps.get(0);
    List<String> rest = steps.subList(1, steps.size());
    boolean last = rest.isEmpty();
    if (step.equals("[]")) {
      if (!(holder instanceof ArrayNode list)) {
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        String at = where + "[" + i + "]";
        if (last) {
          list.set(i, value(list.get(i), at, namespace, reader, read, used, texts));
        } else {
          replace(list.get(i), rest, at, namespace, reader, read, used, texts);
        }
      }
      return;
    }
    if (!(holder instanceof ObjectNode object)) {
      return;
    }
    JsonNode child = object.get(step);
    if (child == null || child.isNull()) {
      return;
    }
    String at = where + "." + step;
    if (last) {
      object.set(step, value(child, at, namespace, reader, read, used, texts));
    } else {
      replace(child, rest, at, namespace, reader, read, used, texts);
    }
  }

  /** The value a reference stands for; a reference is read once per resolution. */
  private TextNode value(
      JsonNode reference,
      String where,
      String namespace,
      Reader reader,
      Map<String, Found> read,
      List<String> used,
      Set<String> texts) {
    String name = reference.path("name").asText("");
    String key = reference.path("key").asText("");
    if (!reference.isObject() || name.isBlank() || key.isBlank()) {
      throw new TerminalException(
          where + " must name a Secret and its key: {name: ..., key: ...} (namespace optional)");
    }
    String secretNamespace = reference.path("namespace").asText("");
    if (secretNamespace.isBlank()) {
      secretNamespace = namespace;
    } else if (!secretNamespace.equals(namespace) && !crossNamespace) {
      throw new TerminalException(
          where
              + " names a Secret of namespace "
              + secretNamespace
              + ": a Secret of another namespace needs the controller's"
              + " --enable-cross-namespace=true (off by default, as in ACK); use one of namespace "
              + namespace);
    }
    String secret = secretNamespace + "/" + name;
    Found found = read.get(secret);
    if (found == null) {
      found = reader.read(secretNamespace, name);
      if (found == null) {
        throw new Missing(
            "waiting for the Secret "
                + secret
                + " that "
                + where
                + " names, which does not exist; create it with the key "
                + key);
      }
      read.put(secret, found);
    }
    String text = found.data().get(key);
    if (text == null) {
      throw new Missing(
          "waiting for the key " + key + " in the Secret " + secret + " that " + where + " names");
    }
    String version = secret + "@" + found.resourceVersion();
    if (!used.contains(version)) {
      used.add(version);
    }
    if (!text.isEmpty()) {
      texts.add(text);
    }
    return TextNode.valueOf(text);
  }

  /** Reads Secrets with the reconciler's client: a get of the one Secret, nothing else. */
  static Reader reader(KubernetesClient client) {
    return (namespace, name) -> {
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(name).get();
      } catch (KubernetesClientException e) {
        throw new Missing(
            "cannot read the Secret "
                + namespace
                + "/"
                + name
                + " ("
                + e.getCode()
                + "): may jack get secrets in "
                + namespace
                + "?");
      }
      if (secret == null) {
        return null;
      }
      Map<String, String> data = new TreeMap<>();
      if (secret.getData() != null) {
        secret
            .getData()
            .forEach(
                (k, v) ->
                    data.put(
                        k,
                        v == null
                            ? ""
                            : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
      }
      if (secret.getStringData() != null) {
        data.putAll(secret.getStringData());
      }
      return new Found(secret.getMetadata().getResourceVersion(), data);
    };
  }

  /** {@code text} with every secret value in it replaced by {@code ***}. */
  static String redact(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }
}

package dev.jack.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.jack.codegen.KindResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Assembles jack's Helm charts from their one source, {@code charts/jack}: the chart {@code jack},
 * which serves any set of services in one Deployment, and per service a chart with ACK's name
 * ({@code s3-chart}) that serves that service alone, as ACK's does. Each gets the CRDs of its
 * services (and the core ones: FieldExport, IAMRoleSelector) and a {@code kinds.yaml} from which
 * its templates write the RBAC rules of its kinds: the kinds its services own, and the kinds their
 * references read.
 */
public final class ChartAssembler {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  /** A kind as its descriptor names it, and the kinds its references point to. */
  record Kind(String service, String group, String kind, String plural, List<String> references) {}

  private final Path root;

  ChartAssembler(Path root) {
    this.root = root;
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: ChartAssembler REPOSITORY_ROOT OUTPUT_DIR");
      System.exit(2);
    }
    ChartAssembler assembler = new ChartAssembler(Path.of(args[0]).toAbsolutePath().normalize());
    Path out = Path.of(args[1]);
    List<String> charts = assembler.assemble(out);
    System.out.println("Assembled " + charts.size() + " charts under " + out + ": " + charts);
  }

  /** Writes every chart under {@code out}; answers their names. */
  List<String> assemble(Path out) {
    Map<String, Kind> kinds = kinds();
    SortedSet<String> services = new TreeSet<>();
    kinds.values().forEach(k -> services.add(k.service()));
    List<String> charts = new ArrayList<>();
    deleteTree(out);
    write(out.resolve("jack"), "jack", List.copyOf(services), kinds, null);
    charts.add("jack");
    for (String service : services) {
      String name = service + "-chart";
      write(out.resolve(name), name, List.of(service), kinds, service);
      charts.add(name);
    }
    return charts;
  }

  private void write(
      Path chart, String name, List<String> services, Map<String, Kind> kinds, String only) {
    Path source = root.resolve("charts/jack");
    copyTree(source, chart);
    try {
      Files.writeString(chart.resolve("kinds.yaml"), kindsYaml(services, kinds));
      Path crds = Files.createDirectories(chart.resolve("crds"));
      for (Path crd : crdFiles(services)) {
        Files.copy(crd, crds.resolve(crd.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      if (only != null) {
        Path chartYaml = chart.resolve("Chart.yaml");
        Files.writeString(
            chartYaml,
            replaceOnce(
                replaceOnce(Files.readString(chartYaml), "name: jack\n", "name: " + name + "\n"),
                "description: jack, AWS Controllers for Kubernetes in Java - several AWS services"
                    + " in one controller\n",
                "description: jack's controller for AWS "
                    + only
                    + " (ACK's "
                    + name
                    + ", in Java)\n"));
        Path values = chart.resolve("values.yaml");
        String text = Files.readString(values);
        text = replaceOnce(text, "\nservices: []\n", "\nservices:\n  - " + only + "\n");
        // ACK's service charts name the ServiceAccount ack-<service>-controller.
        text =
            replaceOnce(
                text,
                "  # Its name; empty for the release's full name.\n  name: \"\"\n",
                "  # Its name; empty for the release's full name.\n  name: ack-"
                    + only
                    + "-controller\n");
        Files.writeString(values, text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + chart, e);
    }
  }

  /**
   * {@code <service>: {owns: {group: [plurals]}, reads: {group: [plurals]}}}: what each service's
   * kinds are, and the kinds of other services their references read.
   */
  static String kindsYaml(List<String> services, Map<String, Kind> kinds) {
    SortedMap<String, Object> document = new TreeMap<>();
    for (String service : services) {
      SortedMap<String, SortedSet<String>> owns = new TreeMap<>();
      SortedMap<String, SortedSet<String>> reads = new TreeMap<>();
      for (Kind kind : kinds.values()) {
        if (!kind.service().equals(service)) {
          continue;
        }
        owns.computeIfAbsent(kind.group(), g -> new TreeSet<>()).add(kind.plural());
        for (String reference : kind.references()) {
          Kind target = kinds.get(reference);
          if (target == null) {
            // A kind of a service jack does not serve (CloudWatch Logs' LogGroup): ACK's
            // controller of that service may serve it beside jack, under the generator's plural.
            String[] parts = reference.split("/", 2);
            target =
                new Kind(
                    parts[0],
                    parts[0] + ".services.k8s.aws",
                    parts[1],
                    KindResolver.plural(parts[1]),
                    List.of());
          }
          if (!target.service().equals(service)) {
            reads.computeIfAbsent(target.group(), g -> new TreeSet<>()).add(target.plural());
          }
        }
      }
      SortedMap<String, Object> entry = new TreeMap<>();
      entry.put("owns", owns);
      if (!reads.isEmpty()) {
        entry.put("reads", reads);
      }
      document.put(service, entry);
    }
    try {
      return "# Written by ChartAssembler from the kinds' descriptors: the RBAC rules come from it.\n"
          + YAML.writeValueAsString(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every kind, by {@code service/Kind}, from the generated descriptors. */
  Map<String, Kind> kinds() {
    Map<String, Kind> kinds = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root.resolve("services"))) {
      for (Path file :
          files.filter(f -> f.toString().endsWith(".descriptor.json")).sorted().toList()) {
        JsonNode descriptor = JSON.readTree(file.toFile());
        String service = descriptor.path("service").asText();
        List<String> references = new ArrayList<>();
        for (Iterator<JsonNode> it = descriptor.path("references").elements(); it.hasNext(); ) {
          JsonNode reference = it.next();
          String target =
              reference.path("service").isTextual() ? reference.path("service").asText() : service;
          references.add(target + "/" + reference.path("kind").asText());
        }
        Kind kind =
            new Kind(
                service,
                descriptor.path("group").asText(),
                descriptor.path("kind").asText(),
                descriptor.path("plural").asText(),
                references);
        kinds.put(service + "/" + kind.kind(), kind);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the descriptors under " + root, e);
    }
    if (kinds.isEmpty()) {
      throw new IllegalStateException("no descriptors under " + root.resolve("services"));
    }
    return kinds;
  }

  private List<Path> crdFiles(List<String> services) throws IOException {
    List<Path> dirs = new ArrayList<>(List.of(root.resolve("api/crds")));
    services.forEach(s -> dirs.add(root.resolve("services").resolve(s).resolve("crds")));
    List<Path> files = new ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> crds = Files.list(dir)) {
        crds.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    return files;
  }

  private static String replaceOnce(String text, String what, String with) {
    int at = text.indexOf(what);
    if (at < 0 || text.indexOf(what, at + 1) >= 0) {
      throw new IllegalStateException("charts/jack changed: expected one \"" + what.trim() + "\"");
    }
    return text.substring(0, at) + with + text.substring(at + what.length());
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path file : walk.sorted().toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir, e);
    }
  }
}

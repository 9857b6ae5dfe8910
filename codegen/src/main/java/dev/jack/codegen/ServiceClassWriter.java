package dev.jack.codegen;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes a service's {@code AwsService}: its name, how to make its SDK client, and its kinds, each
 * served by the runtime's generic resource manager unless the configuration names a hand-written
 * one.
 */
public final class ServiceClassWriter {

  private final ServiceConfig config;
  private final String clientInterface;
  private final java.util.SortedMap<String, String> operationNames;
  private final String packageName;
  private final String simpleName;

  /**
   * @param operationNames the operations the SDK's request classes spell with other capitals
   *     ({@link SdkModel#operationNames})
   */
  public ServiceClassWriter(
      ServiceConfig config,
      String clientInterface,
      java.util.SortedMap<String, String> operationNames) {
    this.config = config;
    this.clientInterface = clientInterface;
    this.operationNames = operationNames;
    this.packageName = "dev.jack.services." + config.service();
    this.simpleName =
        Character.toUpperCase(config.service().charAt(0))
            + config.service().substring(1)
            + "Service";
  }

  public String className() {
    return packageName + "." + simpleName;
  }

  /** Where the source goes, relative to the generated source root. */
  public Path path() {
    return Path.of(packageName.replace('.', '/'), simpleName + ".java");
  }

  public String source(List<KindModel> kinds) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < kinds.size(); i++) {
      KindModel kind = kinds.get(i);
      String manager = kind.config().manager();
      String hooks = kind.config().hooks();
      String factory =
          manager != null
              ? "descriptor -> new " + manager + "()"
              : hooks != null
                  ? "descriptor -> new GenericResourceManager(descriptor, new " + hooks + "())"
                  : "GenericResourceManager::new";
      list.append("        new ManagedKind<>(")
          .append(packageName)
          .append(".v1alpha1.")
          .append(kind.kind())
          .append(".class, ")
          .append(factory)
          .append(")")
          .append(i + 1 < kinds.size() ? ",\n" : ");\n");
    }
    return JavaWriter.HEADER
        + "package "
        + packageName
        + ";\n\n"
        + "import dev.jack.runtime.AwsClientSettings;\n"
        + "import dev.jack.runtime.AwsService;\n"
        + "import dev.jack.runtime.GenericResourceManager;\n"
        + "import java.util.List;\n"
        + (operationNames.isEmpty() ? "" : "import java.util.Map;\n")
        + "import software.amazon.awssdk.core.SdkClient;\n\n"
        + "/** The "
        + config.service()
        + " service: its SDK client and its kinds. */\n"
        + "public final class "
        + simpleName
        + " implements AwsService {\n\n"
        + "  @Override\n"
        + "  public String name() {\n"
        + "    return \""
        + config.service()
        + "\";\n"
        + "  }\n\n"
        + "  @Override\n"
        + "  public SdkClient newClient(AwsClientSettings settings) {\n"
        + "    return settings.apply("
        + clientInterface
        + ".builder()).build();\n"
        + "  }\n\n"
        + operationNamesMethod()
        + "  @Override\n"
        + "  public List<ManagedKind<?>> kinds() {\n"
        + "    return List.of(\n"
        + list
        + "  }\n"
        + "}\n";
  }

  private String operationNamesMethod() {
    if (operationNames.isEmpty()) {
      return "";
    }
    StringBuilder entries = new StringBuilder();
    operationNames.forEach(
        (spelled, name) ->
            entries
                .append(entries.length() == 0 ? "" : ",\n")
                .append("        Map.entry(\"")
                .append(spelled)
                .append("\", \"")
                .append(name)
                .append("\")"));
    return "  @Override\n"
        + "  public Map<String, String> operationNames() {\n"
        + "    return Map.ofEntries(\n"
        + entries
        + ");\n"
        + "  }\n\n";
  }
}

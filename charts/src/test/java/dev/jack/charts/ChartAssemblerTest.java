package dev.jack.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jack.charts.ChartAssembler.Kind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChartAssemblerTest {

  private static Map<String, Kind> kinds(Kind... kinds) {
    Map<String, Kind> all = new TreeMap<>();
    for (Kind kind : kinds) {
      all.put(kind.service() + "/" + kind.kind(), kind);
    }
    return all;
  }

  @Test
  void aServiceOwnsItsKindsAndReadsWhatItsReferencesPointTo() {
    Map<String, Kind> kinds =
        kinds(
            new Kind(
                "lambda",
                "lambda.services.k8s.aws",
                "Function",
                "functions",
                List.of("iam/Role", "lambda/CodeSigningConfig", "kafka/Cluster")),
            new Kind(
                "lambda",
                "lambda.services.k8s.aws",
                "CodeSigningConfig",
                "codesigningconfigs",
                List.of()),
            new Kind("iam", "iam.services.k8s.aws", "Role", "roles", List.of()),
            new Kind("iam", "iam.services.k8s.aws", "Policy", "policies", List.of()));
    String yaml = ChartAssembler.kindsYaml(List.of("lambda"), kinds);
    assertThat(yaml)
        .contains(
            """
            lambda:
              owns:
                lambda.services.k8s.aws:
                - codesigningconfigs
                - functions
              reads:
                iam.services.k8s.aws:
                - roles
                kafka.services.k8s.aws:
                - clusters
            """)
        .as("its own kinds are not read twice, and only the referenced IAM kind is read")
        .doesNotContain("policies");
  }

  @Test
  void aServiceWithoutReferencesOnlyOwns() {
    String yaml =
        ChartAssembler.kindsYaml(
            List.of("iam"),
            kinds(new Kind("iam", "iam.services.k8s.aws", "Role", "roles", List.of())));
    assertThat(yaml).contains("iam:\n  owns:\n    iam.services.k8s.aws:\n    - roles\n");
    assertThat(yaml).doesNotContain("reads");
  }
}

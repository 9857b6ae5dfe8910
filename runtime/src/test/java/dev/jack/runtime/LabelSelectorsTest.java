package dev.jack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Label selectors as the API server parses them. */
class LabelSelectorsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "app=foo",
        "app==foo",
        "app!=foo",
        "app",
        "!legacy",
        "app=foo, env in (a, b),tier notin (web),!legacy",
        "example.com/team=a",
        "app.kubernetes.io/name=jack",
        "app=",
        "env in ()",
        "replicas>2,replicas<10",
        " app = foo "
      })
  void kubernetesSelectorsAreAccepted(String selector) {
    assertThat(LabelSelectors.check(selector)).isEqualTo(selector.trim());
  }

  @Test
  void emptyIsEverything() {
    assertThat(LabelSelectors.check("")).isNull();
    assertThat(LabelSelectors.check("  ")).isNull();
    assertThat(LabelSelectors.check(null)).isNull();
  }

  @Test
  void badSelectorsSayWhatIsWrong() {
    assertThatThrownBy(() -> LabelSelectors.check("app=foo,"))
        .hasMessageContaining("expected a key at the end");
    assertThatThrownBy(() -> LabelSelectors.check("app foo"))
        .hasMessageContaining("after the key 'app', expected =, ==, !=, in, notin, < or >");
    assertThatThrownBy(() -> LabelSelectors.check("env in (a,b"))
        .hasMessageContaining("expected ',' or ')' at the end");
    assertThatThrownBy(() -> LabelSelectors.check("env in a"))
        .hasMessageContaining("expected '(', not 'a'");
    assertThatThrownBy(() -> LabelSelectors.check("-app=x"))
        .hasMessageContaining("the key '-app' is not a label name");
    assertThatThrownBy(() -> LabelSelectors.check("Example.com/app=x"))
        .hasMessageContaining("prefix that is not a DNS subdomain");
    assertThatThrownBy(() -> LabelSelectors.check("app=a b"))
        .hasMessageContaining("expected ',', not 'b'");
    assertThatThrownBy(() -> LabelSelectors.check("app=" + "x".repeat(64)))
        .hasMessageContaining("is not a label value");
    assertThatThrownBy(() -> LabelSelectors.check("replicas>two"))
        .hasMessageContaining("> takes an integer");
    assertThatThrownBy(() -> LabelSelectors.check("a=b=c")).hasMessageContaining("expected ','");
    assertThatThrownBy(() -> LabelSelectors.check("=x")).hasMessageContaining("expected a key");
  }
}

package dev.jack.services.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jack.runtime.AwsContext;
import dev.jack.runtime.ResourceHooks;
import dev.jack.runtime.ResourceState;
import java.util.Map;

/**
 * IAM takes an OpenID Connect provider's URL with its {@code https://} scheme and returns it
 * without: the URL read back is the spec's when only the scheme differs.
 */
final class OpenIDConnectProviderHooks implements ResourceHooks {

  private static final String SCHEME = "https://";

  @Override
  public void afterRead(
      ResourceState latest, Map<String, JsonNode> output, ResourceState desired, AwsContext aws) {
    String wanted = desired.specText("url");
    String read = latest.specText("url");
    if (wanted != null && read != null && wanted.equals(SCHEME + read)) {
      latest.spec().put("url", wanted);
    }
  }
}

package dev.jack.runtime;

import dev.jack.runtime.FeatureGates.Gate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ACK's cross-account resource management (CARM, {@code --enable-carm}): the IAM role jack assumes
 * for the resources of a namespace. A namespace annotated {@code services.k8s.aws/owner-account-id}
 * is served through the role that the ConfigMap {@code ack-role-account-map} of the controller's
 * namespace maps that account to; with the TeamLevelCARM gate, one annotated {@code
 * services.k8s.aws/team-id} through the role of {@code ack-role-team-map}. Both ConfigMaps are
 * watched, so a mapping the platform team adds is used at the next reconcile.
 */
public final class AccountRoles implements AutoCloseable {

  public static final String OWNER_ACCOUNT_ANNOTATION = "services.k8s.aws/owner-account-id";
  public static final String TEAM_ANNOTATION = "services.k8s.aws/team-id";
  public static final String ACCOUNT_MAP = "ack-role-account-map";
  public static final String TEAM_MAP = "ack-role-team-map";

  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::([0-9]{12}):role/.+");

  /** An IAM role to assume, and the account it belongs to. */
  public record Role(String arn, String accountId) {}

  /** A namespace names an account or team that no ConfigMap maps: recoverable, once mapped. */
  public static final class Unmapped extends RuntimeException {
    Unmapped(String message) {
      super(message);
    }
  }

  private final boolean enabled;
  private final FeatureGates gates;
  private final String systemNamespace;
  private final List<SharedIndexInformer<ConfigMap>> informers;
  private final SharedIndexInformer<ConfigMap> accounts;
  private final SharedIndexInformer<ConfigMap> teams;

  private AccountRoles(
      boolean enabled,
      FeatureGates gates,
      String systemNamespace,
      SharedIndexInformer<ConfigMap> accounts,
      SharedIndexInformer<ConfigMap> teams) {
    this.enabled = enabled;
    this.gates = gates;
    this.systemNamespace = systemNamespace;
    this.accounts = accounts;
    this.teams = teams;
    this.informers = java.util.stream.Stream.of(accounts, teams).filter(i -> i != null).toList();
  }

  /** Without CARM: every resource is served with the controller's own credentials. */
  public static AccountRoles disabled() {
    return new AccountRoles(false, FeatureGates.defaults(), null, null, null);
  }

  /** Watches the role maps in {@code systemNamespace}, the controller's own namespace. */
  public static AccountRoles watching(
      KubernetesClient client, String systemNamespace, FeatureGates gates) {
    SharedIndexInformer<ConfigMap> accounts =
        client.configMaps().inNamespace(systemNamespace).withName(ACCOUNT_MAP).inform();
    SharedIndexInformer<ConfigMap> teams =
        gates.enabled(Gate.TeamLevelCARM)
            ? client.configMaps().inNamespace(systemNamespace).withName(TEAM_MAP).inform()
            : null;
    return new AccountRoles(true, gates, systemNamespace, accounts, teams);
  }

  /**
   * The role for the resources of {@code namespace}, or null for the controller's own credentials.
   *
   * @throws Unmapped when the namespace names an account or team that the maps lack
   */
  public Role roleFor(Namespace namespace) {
    if (!enabled || namespace == null || namespace.getMetadata().getAnnotations() == null) {
      return null;
    }
    Map<String, String> annotations = namespace.getMetadata().getAnnotations();
    String team = blankToNull(annotations.get(TEAM_ANNOTATION));
    if (team != null && teams != null) {
      String arn = lookup(teams, team);
      if (arn == null) {
        throw unmapped("team", team, TEAM_ANNOTATION, TEAM_MAP, namespace);
      }
      return new Role(arn, accountOf(arn, TEAM_MAP, team));
    }
    String account = blankToNull(annotations.get(OWNER_ACCOUNT_ANNOTATION));
    if (account == null) {
      return null;
    }
    String arn = lookup(accounts, account);
    if (arn == null) {
      throw unmapped("account", account, OWNER_ACCOUNT_ANNOTATION, ACCOUNT_MAP, namespace);
    }
    String roleAccount = accountOf(arn, ACCOUNT_MAP, account);
    if (!roleAccount.equals(account)) {
      throw new TerminalException(
          "ConfigMap "
              + ACCOUNT_MAP
              + " maps account "
              + account
              + " to "
              + arn
              + ", a role of account "
              + roleAccount
              + "; ask the platform team to map it to a role of "
              + account);
    }
    return new Role(arn, account);
  }

  private static String lookup(SharedIndexInformer<ConfigMap> informer, String key) {
    for (ConfigMap map : informer.getStore().list()) {
      if (map.getData() != null) {
        String value = blankToNull(map.getData().get(key));
        if (value != null) {
          return value.trim();
        }
      }
    }
    return null;
  }

  private Unmapped unmapped(
      String what, String value, String annotation, String map, Namespace namespace) {
    return new Unmapped(
        "Namespace "
            + namespace.getMetadata().getName()
            + " is annotated "
            + annotation
            + "="
            + value
            + ", but ConfigMap "
            + systemNamespace
            + "/"
            + map
            + " maps no IAM role for that "
            + what
            + "; jack makes no AWS call until a platform admin adds it");
  }

  private static String accountOf(String arn, String map, String key) {
    Matcher m = ROLE_ARN.matcher(arn);
    if (!m.matches()) {
      throw new TerminalException(
          "ConfigMap " + map + " maps " + key + " to '" + arn + "', which is no IAM role ARN");
    }
    return m.group(1);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}

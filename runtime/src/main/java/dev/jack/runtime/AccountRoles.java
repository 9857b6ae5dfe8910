package dev.jack.runtime;

import dev.jack.api.core.IAMRoleSelector;
import dev.jack.runtime.FeatureGates.Gate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM role jack assumes for a resource, if any. With the IAMRoleSelector gate, the one
 * cluster-scoped IAMRoleSelector that selects the resource (by namespace, kind and labels) names
 * it. Otherwise ACK's cross-account resource management (CARM, {@code --enable-carm}) does: a
 * namespace annotated {@code services.k8s.aws/owner-account-id} is served through the role that the
 * ConfigMap {@code ack-role-account-map} of the controller's namespace maps that account to; with
 * the TeamLevelCARM gate, one annotated {@code services.k8s.aws/team-id} through the role of {@code
 * ack-role-team-map}. The selectors and ConfigMaps are watched, so what the platform team adds or
 * changes is used at the next reconcile.
 */
public final class AccountRoles implements AutoCloseable {

  public static final String OWNER_ACCOUNT_ANNOTATION = "services.k8s.aws/owner-account-id";
  public static final String TEAM_ANNOTATION = "services.k8s.aws/team-id";
  public static final String ACCOUNT_MAP = "ack-role-account-map";
  public static final String TEAM_MAP = "ack-role-team-map";

  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::([0-9]{12}):role/.+");

  /**
   * An IAM role to assume, the account it belongs to, and the IAMRoleSelector that chose it (null
   * when CARM did).
   */
  public record Role(String arn, String accountId, String selector) {
    Role(String arn, String accountId) {
      this(arn, accountId, null);
    }
  }

  /** A namespace names an account or team that no ConfigMap maps: recoverable, once mapped. */
  public static final class Unmapped extends RuntimeException {
    Unmapped(String message) {
      super(message);
    }
  }

  private final boolean enabled;
  private final boolean perService;
  private final String systemNamespace;
  private final List<SharedIndexInformer<?>> informers;
  private final SharedIndexInformer<ConfigMap> accounts;
  private final SharedIndexInformer<ConfigMap> teams;
  private final SharedIndexInformer<IAMRoleSelector> selectors;

  private AccountRoles(
      boolean enabled,
      boolean perService,
      String systemNamespace,
      SharedIndexInformer<ConfigMap> accounts,
      SharedIndexInformer<ConfigMap> teams,
      SharedIndexInformer<IAMRoleSelector> selectors) {
    this.enabled = enabled;
    this.perService = perService;
    this.systemNamespace = systemNamespace;
    this.accounts = accounts;
    this.teams = teams;
    this.selectors = selectors;
    this.informers =
        java.util.stream.Stream.<SharedIndexInformer<?>>of(accounts, teams, selectors)
            .filter(i -> i != null)
            .toList();
  }

  /**
   * What the settings ask for: the IAMRoleSelectors with their gate, and CARM's ConfigMaps in the
   * controller's namespace with {@code --enable-carm}; none of them, the controller's own
   * credentials for everything.
   */
  public static AccountRoles of(KubernetesClient client, ControllerSettings settings) {
    FeatureGates gates = settings.featureGates();
    boolean carm = settings.carm();
    String system = settings.systemNamespace();
    return new AccountRoles(
        carm,
        carm && gates.enabled(Gate.ServiceLevelCARM),
        system,
        carm ? client.configMaps().inNamespace(system).withName(ACCOUNT_MAP).inform() : null,
        carm && gates.enabled(Gate.TeamLevelCARM)
            ? client.configMaps().inNamespace(system).withName(TEAM_MAP).inform()
            : null,
        gates.enabled(Gate.IAMRoleSelector)
            ? client.resources(IAMRoleSelector.class).inform()
            : null);
  }

  /** The controller's own credentials for everything. */
  public static AccountRoles none() {
    return new AccountRoles(false, false, null, null, null, null);
  }

  /**
   * The role for {@code resource} of {@code namespace}, or null for the controller's own
   * credentials.
   *
   * @throws Unmapped when the namespace names an account or team that the maps lack
   * @throws TerminalException when several IAMRoleSelectors select the resource
   */
  public Role roleFor(Namespace namespace, HasMetadata resource) {
    if (selectors != null && namespace != null) {
      Role selected = selected(namespace, resource);
      if (selected != null) {
        return selected;
      }
    }
    if (!enabled || namespace == null || namespace.getMetadata().getAnnotations() == null) {
      return null;
    }
    Map<String, String> annotations = namespace.getMetadata().getAnnotations();
    String team = blankToNull(annotations.get(TEAM_ANNOTATION));
    if (team != null && teams != null) {
      String arn = lookup(teams, team, service(resource));
      if (arn == null) {
        throw unmapped("team", team, TEAM_ANNOTATION, TEAM_MAP, namespace);
      }
      return new Role(arn, accountOf(arn, "ConfigMap " + TEAM_MAP, team));
    }
    String account = blankToNull(annotations.get(OWNER_ACCOUNT_ANNOTATION));
    if (account == null) {
      return null;
    }
    String arn = lookup(accounts, account, service(resource));
    if (arn == null) {
      throw unmapped("account", account, OWNER_ACCOUNT_ANNOTATION, ACCOUNT_MAP, namespace);
    }
    String roleAccount = accountOf(arn, "ConfigMap " + ACCOUNT_MAP, account);
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

  private Role selected(Namespace namespace, HasMetadata resource) {
    List<IAMRoleSelector> matching =
        selectors.getStore().list().stream()
            .filter(
                s -> s.getSpec() != null && RoleSelection.matches(s.getSpec(), namespace, resource))
            .sorted(java.util.Comparator.comparing(s -> s.getMetadata().getName()))
            .toList();
    if (matching.isEmpty()) {
      return null;
    }
    if (matching.size() > 1) {
      throw new TerminalException(
          "IAMRoleSelectors "
              + matching.stream().map(s -> s.getMetadata().getName()).toList()
              + " all select this resource; a resource takes one role: narrow their selectors");
    }
    IAMRoleSelector selector = matching.get(0);
    String arn = selector.getSpec().getArn();
    return new Role(
        arn,
        accountOf(arn, "IAMRoleSelector " + selector.getMetadata().getName(), "its arn"),
        selector.getMetadata().getName());
  }

  /**
   * The role a map gives {@code key}; with the ServiceLevelCARM gate, its {@code <service>.<key>}
   * entry first, so that each service's controller may take a role of its own.
   */
  private String lookup(SharedIndexInformer<ConfigMap> informer, String key, String service) {
    if (perService) {
      String own = lookup(informer, service + "." + key);
      if (own != null) {
        return own;
      }
    }
    return lookup(informer, key);
  }

  /** The service of a resource: {@code s3} of {@code s3.services.k8s.aws}. */
  private static String service(HasMetadata resource) {
    String group = HasMetadata.getGroup(resource.getClass());
    int dot = group.indexOf('.');
    return dot < 0 ? group : group.substring(0, dot);
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
          map + " maps " + key + " to '" + arn + "', which is no IAM role ARN");
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

package dev.jack.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns AWS model member names into the field names ACK uses in its CRDs: lower camel case, with
 * initialisms upper-cased as Go does ({@code KmsMasterKeyId} becomes {@code kmsMasterKeyID}, {@code
 * QueueUrl} becomes {@code queueURL}, {@code SecurityGroupIds} becomes {@code securityGroupIDs}).
 *
 * <p>A name is split into words at case changes; a word that is a known initialism is written in
 * its upper form, the first word entirely in lower case. A run of capitals that is not itself an
 * initialism but a concatenation of them ({@code SSEKMS}) is split into those.
 */
public final class Names {

  /** Initialisms by their lower-case spelling, mapped to how they are written inside a name. */
  private static final Map<String, String> INITIALISMS =
      Map.ofEntries(
          Map.entry("acl", "ACL"),
          Map.entry("acm", "ACM"),
          Map.entry("acp", "ACP"),
          Map.entry("ami", "AMI"),
          Map.entry("amis", "AMIs"),
          Map.entry("api", "API"),
          Map.entry("arn", "ARN"),
          Map.entry("asn", "ASN"),
          Map.entry("aws", "AWS"),
          Map.entry("az", "AZ"),
          Map.entry("bgp", "BGP"),
          Map.entry("cidr", "CIDR"),
          Map.entry("cname", "CNAME"),
          Map.entry("cors", "CORS"),
          Map.entry("cpu", "CPU"),
          Map.entry("crl", "CRL"),
          Map.entry("csr", "CSR"),
          Map.entry("db", "DB"),
          Map.entry("dbi", "DBI"),
          Map.entry("dhcp", "DHCP"),
          Map.entry("dns", "DNS"),
          Map.entry("ebs", "EBS"),
          Map.entry("ec2", "EC2"),
          Map.entry("ecr", "ECR"),
          Map.entry("ecs", "ECS"),
          Map.entry("efs", "EFS"),
          Map.entry("eks", "EKS"),
          Map.entry("fifo", "FIFO"),
          Map.entry("gpu", "GPU"),
          Map.entry("grpc", "GRPC"),
          Map.entry("html", "HTML"),
          Map.entry("http", "HTTP"),
          Map.entry("https", "HTTPS"),
          Map.entry("iam", "IAM"),
          Map.entry("icmp", "ICMP"),
          Map.entry("id", "ID"),
          Map.entry("ids", "IDs"),
          Map.entry("io", "IO"),
          Map.entry("iops", "IOPS"),
          Map.entry("ip", "IP"),
          Map.entry("ipam", "IPAM"),
          Map.entry("ipv4", "IPv4"),
          Map.entry("ipv6", "IPv6"),
          Map.entry("json", "JSON"),
          Map.entry("jwt", "JWT"),
          Map.entry("kms", "KMS"),
          Map.entry("ldap", "LDAP"),
          Map.entry("mfa", "MFA"),
          Map.entry("nat", "NAT"),
          Map.entry("oidc", "OIDC"),
          Map.entry("ocsp", "OCSP"),
          Map.entry("pca", "PCA"),
          Map.entry("rfc", "RFC"),
          Map.entry("sasl", "SASL"),
          Map.entry("sdk", "SDK"),
          Map.entry("sha256", "SHA256"),
          Map.entry("sns", "SNS"),
          Map.entry("sql", "SQL"),
          Map.entry("sqs", "SQS"),
          Map.entry("sse", "SSE"),
          Map.entry("ssl", "SSL"),
          Map.entry("tcp", "TCP"),
          Map.entry("tls", "TLS"),
          Map.entry("ttl", "TTL"),
          Map.entry("udp", "UDP"),
          Map.entry("ui", "UI"),
          Map.entry("uid", "UID"),
          Map.entry("uri", "URI"),
          Map.entry("url", "URL"),
          Map.entry("uuid", "UUID"),
          Map.entry("vpc", "VPC"),
          Map.entry("vpce", "VPCE"),
          Map.entry("vpn", "VPN"),
          Map.entry("xml", "XML"),
          Map.entry("yaml", "YAML"));

  /**
   * Initialisms that stay in capitals after their first letter when a name starts with them, as ACK
   * writes them ({@code URI} becomes {@code uRI}, while {@code ID} becomes {@code id}).
   */
  private static final Set<String> KEEP_CAPITALS_AT_START = Set.of("URI");

  /** Go's keywords, which ACK avoids as field names in some cases (see {@link #memberName}). */
  private static final Set<String> GO_KEYWORDS =
      Set.of(
          "break",
          "case",
          "chan",
          "const",
          "continue",
          "default",
          "defer",
          "else",
          "fallthrough",
          "for",
          "func",
          "go",
          "goto",
          "if",
          "import",
          "interface",
          "map",
          "package",
          "range",
          "return",
          "select",
          "struct",
          "switch",
          "type",
          "var");

  private Names() {}

  /**
   * The CRD field name for an AWS member name: {@code KMSMasterKeyID} to {@code kmsMasterKeyID}.
   */
  public static String lowerCamel(String awsName) {
    List<String> words = words(awsName);
    StringBuilder out = new StringBuilder(firstWord(words.get(0), words.size() > 1));
    for (String word : words.subList(1, words.size())) {
      String initialism = initialism(word);
      if (initialism != null) {
        out.append(initialism);
      } else {
        out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return out.toString();
  }

  /**
   * The CRD field name of a structure member. ACK appends an underscore to a member named like a Go
   * keyword whose value is an enum of the same name (S3's {@code Grantee.Type} becomes {@code
   * type_}, while {@code BucketInfo.Type}, a {@code BucketType}, stays {@code type}).
   */
  public static String memberName(String awsName, Shape shape) {
    String name = lowerCamel(awsName);
    boolean sameNamedEnum = shape.type() == Shape.ShapeType.STRING && shape.name().equals(awsName);
    return sameNamedEnum && GO_KEYWORDS.contains(name) ? name + "_" : name;
  }

  /**
   * A name's first word in lower case; but a run of capitals that is no known initialism ({@code
   * FQDN}, {@code CA}) keeps its capitals after the first letter, as in ACK.
   */
  private static String firstWord(String word, boolean more) {
    boolean allCaps =
        word.length() > 1
            && word.chars().allMatch(c -> Character.isUpperCase(c) || Character.isDigit(c));
    if (allCaps && (KEEP_CAPITALS_AT_START.contains(word) || initialism(word) == null)) {
      return Character.toLowerCase(word.charAt(0)) + word.substring(1);
    }
    return word.toLowerCase(Locale.ROOT);
  }

  /**
   * How an initialism is written inside a name, plurals included ({@code Acls} is {@code ACLs}).
   */
  private static String initialism(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    String known = INITIALISMS.get(lower);
    if (known != null) {
      return known;
    }
    if (lower.length() > 2 && lower.endsWith("s")) {
      String singular = INITIALISMS.get(lower.substring(0, lower.length() - 1));
      if (singular != null) {
        return singular + "s";
      }
    }
    return null;
  }

  /** The Java type name for an AWS name: {@code KmsMasterKeyId} to {@code KMSMasterKeyID}. */
  public static String upperCamel(String awsName) {
    String lower = lowerCamel(awsName);
    String first = words(awsName).get(0);
    String initialism = INITIALISMS.get(first.toLowerCase(Locale.ROOT));
    String head =
        initialism != null
            ? initialism
            : Character.toUpperCase(first.charAt(0)) + first.substring(1).toLowerCase(Locale.ROOT);
    return head + lower.substring(first.length());
  }

  /**
   * Splits a name into words: a capital starts a word, digits stay with the word before them, and a
   * run of capitals is one word (the last capital starts the next word when lower case follows).
   * Runs that concatenate initialisms ({@code SSEKMS}) are split into them.
   */
  static List<String> words(String name) {
    // IPv4 and IPv6 are single words whose lower-case v would otherwise split them.
    name = name.replace("IPv4", "Ipv4").replace("IPv6", "Ipv6");
    List<String> words = new ArrayList<>();
    int n = name.length();
    int start = 0;
    for (int i = 1; i <= n; i++) {
      if (i == n || startsWord(name, i)) {
        addWord(words, name.substring(start, i));
        start = i;
      }
    }
    return words;
  }

  private static boolean startsWord(String s, int i) {
    char c = s.charAt(i);
    char prev = s.charAt(i - 1);
    if (c == '_' || c == '-' || prev == '_' || prev == '-') {
      return true;
    }
    if (!Character.isUpperCase(c)) {
      return false;
    }
    if (Character.isLowerCase(prev) || Character.isDigit(prev)) {
      return true;
    }
    // Inside a run of capitals, a capital followed by lower case starts the next word (URLPath).
    return Character.isUpperCase(prev)
        && i + 1 < s.length()
        && Character.isLowerCase(s.charAt(i + 1));
  }

  private static void addWord(List<String> words, String word) {
    if (word.equals("_") || word.equals("-")) {
      return;
    }
    word = word.replace("_", "").replace("-", "");
    if (word.isEmpty()) {
      return;
    }
    boolean allCaps = word.chars().allMatch(c -> Character.isUpperCase(c) || Character.isDigit(c));
    if (allCaps && word.length() > 3 && !INITIALISMS.containsKey(word.toLowerCase(Locale.ROOT))) {
      List<String> parts = splitInitialisms(word);
      if (parts != null) {
        words.addAll(parts);
        return;
      }
    }
    words.add(word);
  }

  /**
   * Splits a run of capitals into known initialisms, or returns null when it is not made of them.
   */
  private static List<String> splitInitialisms(String run) {
    if (run.isEmpty()) {
      return new ArrayList<>();
    }
    for (int end = run.length(); end >= 2; end--) {
      String head = run.substring(0, end);
      if (INITIALISMS.containsKey(head.toLowerCase(Locale.ROOT))) {
        List<String> rest = splitInitialisms(run.substring(end));
        if (rest != null) {
          rest.add(0, head);
          return rest;
        }
      }
    }
    return null;
  }
}

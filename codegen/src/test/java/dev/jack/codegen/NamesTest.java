package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

  @ParameterizedTest
  @CsvSource({
    "QueueName, queueName",
    "QueueUrl, queueURL",
    "QueueArn, queueARN",
    "KmsMasterKeyId, kmsMasterKeyID",
    "KMSMasterKeyID, kmsMasterKeyID",
    "SqsManagedSseEnabled, sqsManagedSSEEnabled",
    "SSEKMSKeyId, sseKMSKeyID",
    "SSESpecification, sseSpecification",
    "ACL, acl",
    "GrantReadACP, grantReadACP",
    "ApiId, apiID",
    "DisableExecuteApiEndpoint, disableExecuteAPIEndpoint",
    "AuthorizerResultTtlInSeconds, authorizerResultTTLInSeconds",
    "AuthorizerUri, authorizerURI",
    "MutualTlsAuthentication, mutualTLSAuthentication",
    "SecurityGroupIds, securityGroupIDs",
    "Identifier, identifier",
    "IdleTimeout, idleTimeout",
    "Ipv6CidrBlock, ipv6CIDRBlock",
    "LatestStreamArn, latestStreamARN",
    "FifoQueue, fifoQueue",
    "tags, tags",
    "DBInstanceIdentifier, dbInstanceIdentifier",
    "UpstreamRegistryUrl, upstreamRegistryURL",
    "CORSRules, corsRules",
    "ID, id",
    "TopicArn, topicARN",
    "BlockPublicAcls, blockPublicACLs",
    "SubnetIds, subnetIDs",
    "URI, uRI",
    "FQDN, fQDN",
    "CAIdentifier, cAIdentifier",
    "VCPUCount, vCPUCount",
    "FSxLustreFileSystemConfig, fSxLustreFileSystemConfig",
    "RStudioConnectURL, rStudioConnectURL",
    "IPv6Address, ipv6Address",
    "HumanTaskUiArn, humanTaskUIARN",
  })
  void lowerCamelFollowsAckInitialisms(String awsName, String expected) {
    assertThat(Names.lowerCamel(awsName)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "ServerSideEncryptionByDefault, ServerSideEncryptionByDefault",
    "KmsMasterKeyId, KMSMasterKeyID",
    "CORSRule, CORSRule",
    "ApiMapping, APIMapping",
    "VpcLink, VPCLink",
  })
  void upperCamelNamesTypes(String awsName, String expected) {
    assertThat(Names.upperCamel(awsName)).isEqualTo(expected);
  }
}

package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.api.descriptor.KindDescriptor.Origin;
import dev.jack.codegen.KindModel.Field;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The field rules, against the real SDK model classes. */
class KindResolverTest {

  private static KindModel resolve(String yaml) {
    ServiceConfig config = ServiceConfig.parse("test", yaml);
    KindResolver resolver =
        new KindResolver(
            config, new SdkModel(config.service(), config.effectiveSdkPackage()), ModelDocs.NONE);
    var entry = config.resources().entrySet().iterator().next();
    return resolver.resolve(entry.getKey(), entry.getValue());
  }

  private static Field field(List<Field> fields, String name) {
    return fields.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + name + " in " + fields));
  }

  private static List<String> names(List<Field> fields) {
    return fields.stream().map(Field::name).toList();
  }

  @Test
  void attributesAreUnpackedIntoStringFields() {
    KindModel queue =
        resolve(
            """
            service: sqs
            resources:
              Queue:
                operations: {create: CreateQueue}
                attributes: Attributes
                fields:
                  QueueName: {required: true, immutable: true}
                  DelaySeconds: {attribute: true}
                  KmsMasterKeyId: {attribute: true}
                  QueueArn: {attribute: true, status: true, arn: true}
            """);

    assertThat(names(queue.spec()))
        .containsExactly("queueName", "tags", "delaySeconds", "kmsMasterKeyID");
    Field delay = field(queue.spec(), "delaySeconds");
    assertThat(delay.origin()).isEqualTo(Origin.ATTRIBUTE);
    assertThat(delay.awsName()).isEqualTo("DelaySeconds");
    assertThat(delay.shape().type()).isEqualTo(Shape.ShapeType.STRING);
    assertThat(field(queue.spec(), "queueName").required()).isTrue();
    assertThat(field(queue.spec(), "queueName").immutable()).isTrue();
    assertThat(field(queue.spec(), "tags").shape().type()).isEqualTo(Shape.ShapeType.MAP);
    assertThat(queue.arn().name()).isEqualTo("queueARN");
    assertThat(names(queue.status())).containsExactlyInAnyOrder("queueARN", "queueURL");
  }

  @Test
  void renamesAndFieldsFromOtherOperations() {
    KindModel bucket =
        resolve(
            """
            service: s3
            resources:
              Bucket:
                operations: {create: CreateBucket}
                fields:
                  Bucket: {rename: name}
                  BucketArn: {arn: true}
                  Versioning: {from: PutBucketVersioning.VersioningConfiguration}
                  Metrics: {from: PutBucketMetricsConfiguration.MetricsConfiguration, list: true}
            """);

    Field name = field(bucket.spec(), "name");
    assertThat(name.awsName()).isEqualTo("Bucket");
    assertThat(names(bucket.spec())).doesNotContain("bucket");

    Field versioning = field(bucket.spec(), "versioning");
    assertThat(versioning.origin()).isEqualTo(Origin.OPERATION_INPUT);
    assertThat(versioning.operation()).isEqualTo("PutBucketVersioning");
    assertThat(versioning.awsName()).isEqualTo("VersioningConfiguration");
    assertThat(versioning.shape().members()).containsKeys("MFADelete", "Status");

    Field metrics = field(bucket.spec(), "metrics");
    assertThat(metrics.shape().type()).isEqualTo(Shape.ShapeType.LIST);
    assertThat(metrics.shape().element().name()).isEqualTo("MetricsConfiguration");
    assertThat(names(bucket.status())).containsExactly("location");
    assertThat(bucket.arn().awsName()).isEqualTo("BucketArn");
  }

  @Test
  void outputWrapperIsUnwrappedAndRenamedMembersStayOutOfStatus() {
    KindModel repository =
        resolve(
            """
            service: ecr
            resources:
              Repository:
                operations: {create: CreateRepository}
                output-wrapper: repository
                fields:
                  repositoryName: {rename: name}
                  repositoryArn: {arn: true}
            """);

    assertThat(names(repository.status())).containsExactlyInAnyOrder("createdAt", "repositoryURI");
    assertThat(repository.arn().awsName()).isEqualTo("repositoryArn");
    assertThat(field(repository.status(), "createdAt").shape().type())
        .isEqualTo(Shape.ShapeType.TIMESTAMP);
  }

  @Test
  void schemaTypesFollowTheModel() {
    KindModel table =
        resolve(
            """
            service: dynamodb
            resources:
              Table:
                operations: {create: CreateTable}
                output-wrapper: TableDescription
            """);

    Map<String, Object> itemCount =
        new CrdWriter(ModelDocs.NONE)
            .shapeSchema(field(table.status(), "itemCount").shape(), "itemCount", Map.of());
    assertThat(itemCount).containsEntry("type", "integer").containsEntry("format", "int64");
    Map<String, Object> created =
        new CrdWriter(ModelDocs.NONE)
            .shapeSchema(
                field(table.status(), "creationDateTime").shape(), "creationDateTime", Map.of());
    assertThat(created).containsEntry("type", "string").containsEntry("format", "date-time");
    Map<String, Object> keySchema =
        new CrdWriter(ModelDocs.NONE)
            .shapeSchema(field(table.spec(), "keySchema").shape(), "keySchema", Map.of());
    assertThat(keySchema).containsEntry("type", "array");
    assertThat(keySchema.get("items").toString()).contains("attributeName").contains("keyType");
  }

  @Test
  void referencesAddARefFieldBesideTheirField() {
    assertThat(KindModel.referenceFieldName("kmsMasterKeyID", false)).isEqualTo("kmsMasterKeyRef");
    assertThat(KindModel.referenceFieldName("subnetIDs", true)).isEqualTo("subnetRefs");
    assertThat(KindModel.referenceFieldName("topicARN", false)).isEqualTo("topicRef");
    assertThat(KindModel.referenceFieldName("domainName", false)).isEqualTo("domainRef");
    assertThat(KindModel.referenceFieldName("policy", false)).isEqualTo("policyRef");
    assertThat(KindModel.referenceFieldName("policies", true)).isEqualTo("policyRefs");
    assertThat(KindModel.referenceFieldName("securityGroups", true)).isEqualTo("securityGroupRefs");
  }

  @Test
  void aConfiguredMemberTheModelLacksIsAnError() {
    assertThatThrownBy(
            () ->
                resolve(
                    """
                    service: sqs
                    resources:
                      Queue:
                        operations: {create: CreateQueue}
                        fields:
                          QueueNmae: {required: true}
                    """))
        .hasMessageContaining("sqs Queue")
        .hasMessageContaining("QueueNmae");
  }

  @Test
  void aFromPathTheModelLacksNamesWhatExists() {
    assertThatThrownBy(
            () ->
                resolve(
                    """
                    service: s3
                    resources:
                      Bucket:
                        operations: {create: CreateBucket}
                        fields:
                          Versioning: {from: PutBucketVersioning.Versioning}
                    """))
        .hasMessageContaining("has no member Versioning")
        .hasMessageContaining("VersioningConfiguration");
  }

  @Test
  void anUnknownOptionIsAnError() {
    assertThatThrownBy(
            () ->
                ServiceConfig.parse(
                    "test",
                    """
                    service: sqs
                    resources:
                      Queue:
                        operations: {create: CreateQueue}
                        fields:
                          QueueName: {requried: true}
                    """))
        .hasMessageContaining("requried");
  }

  @Test
  void pluralsAreEnglish() {
    assertThat(KindResolver.plural("Repository")).isEqualTo("repositories");
    assertThat(KindResolver.plural("Policy")).isEqualTo("policies");
    assertThat(KindResolver.plural("Key")).isEqualTo("keys");
    assertThat(KindResolver.plural("Alias")).isEqualTo("aliases");
    assertThat(KindResolver.plural("VPCLink")).isEqualTo("vpclinks");
  }
}

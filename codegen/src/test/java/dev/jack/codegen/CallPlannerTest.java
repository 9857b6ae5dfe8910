package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.api.descriptor.KindDescriptor.AttributeUpdate;
import dev.jack.api.descriptor.KindDescriptor.Input;
import dev.jack.codegen.CallPlanner.Plan;
import dev.jack.testenv.Binaries;
import org.junit.jupiter.api.Test;

/** How the generic manager's calls are planned, against the real SDK and AWS API models. */
class CallPlannerTest {

  private static Plan plan(String yaml) {
    ServiceConfig config = ServiceConfig.parse("test", yaml);
    SdkModel model = new SdkModel(config.service(), config.effectiveSdkPackage());
    ModelDocs docs =
        ModelDocs.fromBotocoreWheel(
            Binaries.fromEnvironment().apiDocs(), config.effectiveApiModel());
    var entry = config.resources().entrySet().iterator().next();
    KindModel kind =
        new KindResolver(config, model, docs).resolve(entry.getKey(), entry.getValue());
    return new CallPlanner(config, model, docs).plan(kind);
  }

  private static final String QUEUE =
      """
      service: sqs
      tagging: {tag: TagQueue, untag: UntagQueue, list: ListQueueTags}
      resources:
        Queue:
          tags: tags
          operations: {create: CreateQueue, read: GetQueueAttributes, update: SetQueueAttributes, delete: DeleteQueue}
          attributes: Attributes
          inputs:
            GetQueueAttributes: {AttributeNames: [All]}
          fields:
            QueueName: {required: true, immutable: true}
            DelaySeconds: {attribute: true}
            QueueArn: {attribute: true, status: true, arn: true}
      """;

  @Test
  void identifiersComeFromStatusAndTheArnAndTagsFromTheirOperations() {
    Plan plan = plan(QUEUE);
    assertThat(plan.inputs().get("GetQueueAttributes"))
        .containsEntry("QueueUrl", new Input("status.queueURL", false, null))
        .containsKey("AttributeNames");
    assertThat(plan.inputs().get("DeleteQueue"))
        .containsEntry("QueueUrl", new Input("status.queueURL", false, null));
    assertThat(plan.attributeUpdate()).isEqualTo(AttributeUpdate.MAP);
    assertThat(plan.updates())
        .containsEntry("delaySeconds", "SetQueueAttributes")
        .containsEntry("tags", "TagQueue")
        .doesNotContainKey("queueName");
    assertThat(plan.tags().tag()).isEqualTo("TagQueue.Tags");
    assertThat(plan.tags().untag()).isEqualTo("UntagQueue.TagKeys");
    assertThat(plan.tags().list()).isEqualTo("ListQueueTags.Tags");
  }

  @Test
  void aListInputTakesTheOneValueItsSingularNames() {
    Plan plan =
        plan(
            """
            service: ecr
            resources:
              Repository:
                operations: {create: CreateRepository, read: DescribeRepositories, delete: DeleteRepository}
                output-wrapper: repository
                read-wrapper: repositories
                fields:
                  repositoryName: {rename: name, required: true, immutable: true}
                  registryId: {immutable: true}
                  tags: {immutable: true}
                  imageTagMutability: {update: PutImageTagMutability}
                  imageTagMutabilityExclusionFilters: {update: PutImageTagMutability}
                  imageScanningConfiguration: {update: PutImageScanningConfiguration}
                  encryptionConfiguration: {immutable: true}
            """);
    assertThat(plan.inputs().get("DescribeRepositories"))
        .containsEntry("repositoryNames", new Input("spec.name", true, null));
    assertThat(plan.updates()).containsEntry("imageTagMutability", "PutImageTagMutability");
    assertThat(plan.inputs().get("PutImageTagMutability"))
        .containsEntry("repositoryName", new Input("spec.name", false, null))
        .doesNotContainKey("imageTagMutability");
  }

  @Test
  void aCreateIdempotencyTokenIsTheResourceUid() {
    Plan plan =
        plan(
            """
            service: ecr
            resources:
              PullThroughCacheRule:
                operations: {create: CreatePullThroughCacheRule, read: DescribePullThroughCacheRules, delete: DeletePullThroughCacheRule}
                read-wrapper: pullThroughCacheRules
                fields:
                  ecrRepositoryPrefix: {required: true, immutable: true}
                  upstreamRegistryUrl: {required: true, immutable: true}
                  upstreamRegistry: {immutable: true}
                  upstreamRepositoryPrefix: {immutable: true}
                  registryId: {immutable: true}
                  credentialArn: {immutable: true}
                  customRoleArn: {immutable: true}
            """);
    // ECR has no token here: nothing is invented.
    assertThat(plan.inputs()).doesNotContainKey("CreatePullThroughCacheRule");
  }

  @Test
  void aMutableFieldThatNoOperationChangesFailsNamingKindAndField() {
    assertThatThrownBy(
            () ->
                plan(
                    """
                    service: sqs
                    tagging: {tag: TagQueue, untag: UntagQueue, list: ListQueueTags}
                    resources:
                      Queue:
                        tags: tags
                        operations: {create: CreateQueue, read: GetQueueAttributes, delete: DeleteQueue}
                        attributes: Attributes
                        fields:
                          DelaySeconds: {attribute: true}
                          QueueArn: {attribute: true, status: true, arn: true}
                    """))
        .hasMessageContaining("sqs Queue")
        .hasMessageContaining("spec.queueName (QueueName) can change, but no operation changes it")
        .hasMessageContaining("spec.delaySeconds");
  }

  @Test
  void aRequiredInputThatNothingFillsFailsNamingTheMember() {
    assertThatThrownBy(
            () ->
                plan(
                    """
                    service: apigatewayv2
                    resources:
                      Route:
                        operations: {create: CreateRoute, read: GetRoute, update: UpdateRoute, delete: DeleteRoute}
                        ignore: [ApiId]
                    """))
        .hasMessageContaining("apigatewayv2 Route")
        .hasMessageContaining("GetRoute needs ApiId");
  }
}

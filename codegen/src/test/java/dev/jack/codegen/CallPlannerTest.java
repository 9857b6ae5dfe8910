package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jack.api.descriptor.KindDescriptor.AttributeUpdate;
import dev.jack.api.descriptor.KindDescriptor.Find;
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

  /** SQS's Queue with a find. */
  private static String queueWithFind(String find) {
    String withFind =
        QUEUE.replace(
            "    attributes: Attributes\n", "    attributes: Attributes\n    find: " + find + "\n");
    assertThat(withFind).contains("find:");
    return withFind;
  }

  private static final String TOPIC =
      """
      service: sns
      tagging: {tag: TagResource, untag: UntagResource, list: ListTagsForResource}
      resources:
        Topic:
          tags: tags
          operations: {create: CreateTopic, read: GetTopicAttributes, update: SetTopicAttributes, delete: DeleteTopic}
          attributes: Attributes
          find: %s
          fields:
            Name: {required: true, immutable: true}
            TopicArn: {arn: true, status: true}
            DataProtectionPolicy: {update: PutDataProtectionPolicy}
            DisplayName: {attribute: true}
      """;

  @Test
  void aFindOperationGetsItsInputsPlannedAndGoesIntoTheDescriptor() {
    Plan plan =
        plan(queueWithFind("{operation: GetQueueUrl, output: QueueUrl, into: status.queueURL}"));
    assertThat(plan.find())
        .isEqualTo(new Find("GetQueueUrl", "QueueUrl", null, "status.queueURL", null, null));
    assertThat(plan.inputs().get("GetQueueUrl"))
        .containsOnly(
            org.assertj.core.api.Assertions.entry(
                "QueueName", new Input("spec.queueName", false, null)));
    assertThat(plan(QUEUE).find()).isNull();
    assertThat(plan(QUEUE).inputs()).doesNotContainKey("GetQueueUrl");
  }

  @Test
  void aFindTemplateNeedsNoCallAndMayFillTheArnThroughItsStatusField() {
    Plan plan =
        plan(
            TOPIC.formatted(
                "{template: \"arn:aws:sns:{region}:{account}:{spec.name}\", into: status.topicARN}"));
    assertThat(plan.find())
        .isEqualTo(
            new Find(
                null,
                null,
                "arn:aws:sns:{region}:{account}:{spec.name}",
                "status.topicARN",
                null,
                null));
    // GetTopicAttributes takes status.topicARN; the ARN is the same field, so arn fills it too.
    assertThat(
            plan(TOPIC.formatted(
                    "{template: \"arn:aws:sns:{region}:{account}:{spec.name}\", into: arn}"))
                .find()
                .into())
        .isEqualTo("arn");
  }

  @Test
  void aFindOperationTheSdkLacksOrAnOutputItLacksFailsNamingKindAndWhat() {
    assertThatThrownBy(
            () ->
                plan(
                    queueWithFind(
                        "{operation: GetQueueURL, output: QueueUrl, into: status.queueURL}")))
        .hasMessageContaining("sqs Queue")
        .hasMessageContaining("find.operation GetQueueURL is no operation of sqs's SDK");
    assertThatThrownBy(
            () ->
                plan(queueWithFind("{operation: GetQueueUrl, output: Url, into: status.queueURL}")))
        .hasMessageContaining("sqs Queue")
        .hasMessageContaining(
            "find.output Url: GetQueueUrl's output has no Url; it has [QueueUrl]");
    assertThatThrownBy(() -> plan(queueWithFind("{operation: GetQueueUrl, into: status.queueURL}")))
        .hasMessageContaining("find.output: name the member of GetQueueUrl's output");
    assertThatThrownBy(
            () ->
                plan(
                    queueWithFind(
                        "{operation: ListDeadLetterSourceQueues, output: queueUrls, into: status.queueURL}")))
        .hasMessageContaining("find.output queueUrls is a list, not one value")
        // Its input is the queue's URL, which only the create gives.
        .hasMessageContaining(
            "find.operation ListDeadLetterSourceQueues takes QueueUrl from status.queueURL, which"
                + " AWS assigns at the create");
  }

  @Test
  void aFindIntoWhatTheReadDoesNotTakeFailsNamingTheMissingInput() {
    assertThatThrownBy(
            () ->
                plan(queueWithFind("{operation: GetQueueUrl, output: QueueUrl, into: status.url}")))
        .hasMessageContaining("sqs Queue")
        .hasMessageContaining("find.into status.url is neither arn nor a status field of the kind");
    assertThatThrownBy(
            () ->
                plan(
                    queueWithFind(
                        "{operation: GetQueueUrl, output: QueueUrl, into: status.queueARN}")))
        .hasMessageContaining(
            "find.into status.queueARN leaves GetQueueAttributes without QueueUrl, which it takes"
                + " from status.queueURL");
    assertThatThrownBy(() -> plan(queueWithFind("{operation: GetQueueUrl, output: QueueUrl}")))
        .hasMessageContaining("find.into: name where the identifier goes");
  }

  @Test
  void aFindTemplateTakesOnlyWhatIsKnownBeforeTheCreate() {
    assertThatThrownBy(
            () ->
                plan(
                    TOPIC.formatted(
                        "{template: \"arn:aws:sns:{region}:{account}:{spec.nom}/{status.owner}\","
                            + " into: status.topicARN}")))
        .hasMessageContaining("sns Topic")
        .hasMessageContaining("find.template: {spec.nom} is not known before the create")
        .hasMessageContaining("find.template: {status.owner} is not known before the create");
    assertThatThrownBy(
            () ->
                plan(
                    TOPIC.formatted(
                        "{template: \"x\", operation: GetTopicAttributes, into: status.topicARN}")))
        .hasMessageContaining("find: set either operation (with output)")
        .hasMessageContaining("or template");
  }

  @Test
  void aFindForAKindReadByNameIsRefused() {
    assertThatThrownBy(
            () ->
                plan(
                    """
                    service: ecr
                    resources:
                      Repository:
                        operations: {create: CreateRepository, read: DescribeRepositories, delete: DeleteRepository}
                        output-wrapper: repository
                        read-wrapper: repositories
                        find: {template: "arn:aws:ecr:{region}:{account}:repository/{spec.name}", into: arn}
                        fields:
                          repositoryName: {rename: name, required: true, immutable: true}
                          registryId: {immutable: true}
                          repositoryArn: {arn: true}
                          tags: {immutable: true}
                          imageTagMutability: {immutable: true}
                          imageTagMutabilityExclusionFilters: {immutable: true}
                          imageScanningConfiguration: {immutable: true}
                          encryptionConfiguration: {immutable: true}
                    """))
        .hasMessageContaining("ecr Repository")
        .hasMessageContaining(
            "find: DescribeRepositories needs no identifier AWS assigns, so the read finds the"
                + " resource on its own");
  }

  private static final String GATEWAY =
      """
      service: ec2
      tagging: {tag: CreateTags.Tags, untag: DeleteTags.Tags, create: TagSpecifications, filters: true}
      resources:
        InternetGateway:
          tags: tags
          %s
          find: {operation: DescribeInternetGateways, items: InternetGateways, output: InternetGatewayId, into: status.internetGatewayID}
          operations: {create: CreateInternetGateway, read: DescribeInternetGateways, delete: DeleteInternetGateway}
          output-wrapper: InternetGateway
          read-wrapper: InternetGateways
          ignore: [DryRun, TagSpecifications]
          fields:
            Tags: {from: CreateTags.Tags}
          inputs:
            CreateTags: {Resources: '[status.internetGatewayID]'}
            DeleteTags: {Resources: '[status.internetGatewayID]'}
      """;

  @Test
  void tagsGoWithTheCreateAsTagSpecificationsAndAFindAsksForJacksTagAlone() {
    Plan plan = plan(GATEWAY.formatted("tag-resource-type: internet-gateway"));
    assertThat(plan.tags().create()).isEqualTo("TagSpecifications");
    assertThat(plan.tags().resourceType()).isEqualTo("internet-gateway");
    // The read takes the ID AWS assigns; the find takes a filter on jack's tag instead.
    assertThat(plan.inputs().get("DescribeInternetGateways"))
        .containsEntry("InternetGatewayIds", new Input("status.internetGatewayID", true, null));
    assertThat(plan.find().inputs()).containsOnlyKeys("Filters");
    assertThat(plan.find().inputs().get("Filters").value().toString())
        .isEqualTo("[{\"Name\":\"tag:jack.dev/uid\",\"Values\":[\"${uid}\"]}]");
  }

  @Test
  void aCreateThatTakesTagSpecificationsNeedsTheKindsResourceTypeFromTheModel() {
    assertThatThrownBy(() -> plan(GATEWAY.formatted("")))
        .hasMessageContaining("ec2 InternetGateway")
        .hasMessageContaining("set tag-resource-type")
        .hasMessageContaining("internet-gateway");
    assertThatThrownBy(() -> plan(GATEWAY.formatted("tag-resource-type: gateway")))
        .hasMessageContaining("(not gateway)");
  }
}

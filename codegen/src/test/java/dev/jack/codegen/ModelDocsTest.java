package dev.jack.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.jack.testenv.Binaries;
import org.junit.jupiter.api.Test;

class ModelDocsTest {

  @Test
  void htmlBecomesPlainTextWithParagraphs() {
    String html =
        "<p>The name of the new queue.</p> <ul> <li> <p>A queue name can have up to 80"
            + " characters.</p> </li> </ul> <p>Use <code>.fifo</code> &amp; <i>more</i> &lt;x&gt;</p>";

    assertThat(ModelDocs.text(new TextNode(html)))
        .isEqualTo(
            "The name of the new queue.\n\nA queue name can have up to 80 characters.\n\n"
                + "Use .fifo & more <x>");
  }

  @Test
  void noDocumentationIsNull() {
    assertThat(ModelDocs.text(null)).isNull();
    assertThat(ModelDocs.text(new TextNode("  <p> </p> "))).isNull();
    assertThat(ModelDocs.NONE.input("CreateQueue", "QueueName")).isNull();
  }

  @Test
  void theInstalledModelDocumentsOperationsAndShapes() {
    ModelDocs sqs = ModelDocs.fromBotocoreWheel(Binaries.fromEnvironment().apiDocs(), "sqs");
    assertThat(sqs.input("CreateQueue", "QueueName")).contains("queue");
    ModelDocs s3 = ModelDocs.fromBotocoreWheel(Binaries.fromEnvironment().apiDocs(), "s3");
    assertThat(s3.member("VersioningConfiguration", "Status")).contains("versioning");
    // The SDK for Java spells some operations differently from the model.
    ModelDocs dynamodb =
        ModelDocs.fromBotocoreWheel(Binaries.fromEnvironment().apiDocs(), "dynamodb");
    assertThat(dynamodb.input("createtable", "TableName")).isNotNull();
  }
}

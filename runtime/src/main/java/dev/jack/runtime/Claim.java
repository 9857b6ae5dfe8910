package dev.jack.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jack.api.AckResourceMetadata;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * jack's record, written before it creates a resource in AWS, of where it creates it: the region
 * and the account. A create whose answer is lost (a timeout, a crash) leaves the claim, so that the
 * resource a later read finds by its name is known to be jack's own and not another's of the same
 * name. It is an annotation, {@value #ANNOTATION}, so that it goes in the one write that records,
 * before the create, what jack is about to apply; the status's {@code ackResourceMetadata} takes it
 * over at the reconcile's status write.
 *
 * <p>The claim names the resource's UID and holds only for it: a manifest copied with its
 * annotations ({@code kubectl get -o yaml}, a backup restored as a new object) claims nothing in
 * AWS.
 *
 * @param uid the UID of the resource that made the claim
 * @param region where the resource is created
 * @param account the account it is created in
 */
record Claim(String uid, String region, String account) {

  static final String ANNOTATION = "jack.dev/claim";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The claim of this resource, to create it in {@code region} of {@code account}. */
  static String value(HasMetadata resource, String region, String account) {
    try {
      return JSON.writeValueAsString(new Claim(resource.getMetadata().getUid(), region, account));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the claim of " + region + "/" + account, e);
    }
  }

  /**
   * The region and account this resource claimed, or null when it claimed nothing: no annotation,
   * one jack cannot read, or one another resource (another UID) made.
   */
  static AckResourceMetadata of(HasMetadata resource) {
    String value = ResourcePolicy.annotation(resource, ANNOTATION);
    if (value == null) {
      return null;
    }
    Claim claim;
    try {
      claim = JSON.readValue(value, Claim.class);
    } catch (JsonProcessingException e) {
      return null;
    }
    if (claim.uid() == null
        || !claim.uid().equals(resource.getMetadata().getUid())
        || claim.region() == null
        || claim.account() == null) {
      return null;
    }
    AckResourceMetadata metadata = new AckResourceMetadata();
    metadata.setRegion(claim.region());
    metadata.setOwnerAccountID(claim.account());
    return metadata;
  }
}

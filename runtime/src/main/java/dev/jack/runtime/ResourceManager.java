package dev.jack.runtime;

import java.util.Optional;

/**
 * The AWS side of one kind: reading, creating, updating and deleting the resource. It does only the
 * AWS I/O; the reconciler owns every policy (finalizers, conditions, retries, deletion policy, late
 * initialization, tags defaults, events).
 */
public interface ResourceManager {

  /**
   * The resource as AWS has it, found by the identifiers in {@code desired}'s status or, before it
   * has any, by its name in the spec; empty when AWS has no such resource.
   */
  Optional<ResourceState> readOne(ResourceState desired, AwsContext aws);

  /**
   * Creates the resource. The returned state carries at least the identifiers AWS returned, which
   * the reconciler records at once.
   */
  ResourceState create(ResourceState desired, AwsContext aws);

  /** Makes AWS match {@code desired} in the fields of {@code delta}; returns the new state. */
  ResourceState update(ResourceState desired, ResourceState latest, Delta delta, AwsContext aws);

  /**
   * Whether AWS has the resource, found as {@link #readOne} finds it. The default reads it whole; a
   * kind whose read takes several calls answers with one.
   */
  default boolean exists(ResourceState known, AwsContext aws) {
    return readOne(known, aws).isPresent();
  }

  /**
   * Deletes the resource that {@code known} identifies (its spec and the identifiers in its
   * status); AWS's confirmation is checked with {@link #exists} afterwards.
   */
  void delete(ResourceState known, AwsContext aws);
}

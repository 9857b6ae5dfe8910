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

  /** Deletes the resource; AWS's confirmation is read with {@link #readOne} afterwards. */
  void delete(ResourceState latest, AwsContext aws);
}

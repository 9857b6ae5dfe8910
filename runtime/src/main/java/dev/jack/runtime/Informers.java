package dev.jack.runtime;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How jack's own informers (not the Operator SDK's) meet a list or watch that fails. */
public final class Informers {

  private static final Logger LOG = LoggerFactory.getLogger(Informers.class);

  private Informers() {}

  /**
   * Makes {@code informer} try again, with the Kubernetes client's backoff, whenever its list or
   * watch fails, also before its first list (an API server out of reach at start-up, a CRD not yet
   * installed, RBAC that hides it): by default it would stop for good. Each failure is one line of
   * the log naming {@code what} is watched. Call before the informer starts.
   */
  public static void retryOnFailure(SharedIndexInformer<?> informer, String what) {
    informer.exceptionHandler(
        (started, e) -> {
          LOG.warn("watching {} failed, retrying: {}", what, e.toString());
          return true;
        });
  }
}

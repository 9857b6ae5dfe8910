package dev.jack.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Starts one controller under test against an AWS endpoint, watching one namespace. */
interface Launcher {

  /** A short name for tables, logs and the JSON: {@code jack}, {@code ack}. */
  String id();

  /** What the tables call it. */
  String title();

  /** The kinds it reconciles. */
  List<Kind> kinds();

  /**
   * The Bucket and Queue CRDs it is run with: each controller's own, installed before its stage
   * (they are cluster-wide, and each controller runs alone).
   */
  List<Path> crds();

  /** Starts it and returns once it answers {@code /readyz}. */
  ControllerProcess start(URI aws, String namespace, Path logDir);

  /**
   * How one drift check of every resource is forced: jack's {@code jack.dev/refresh} annotation, or
   * (ACK has no such thing) a restart, after which the controller reconciles every resource once.
   */
  boolean refreshesOnAnnotation();
}

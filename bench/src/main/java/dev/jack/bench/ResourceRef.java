package dev.jack.bench;

/** One resource of the benchmark: its kind and name (which is also its name in AWS). */
record ResourceRef(Kind kind, String name) {}

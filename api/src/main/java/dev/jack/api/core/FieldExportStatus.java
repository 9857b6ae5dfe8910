package dev.jack.api.core;

import dev.jack.api.AckStatus;

/** A FieldExport's status: its conditions ({@code ackResourceMetadata} stays unset). */
public class FieldExportStatus extends AckStatus {}

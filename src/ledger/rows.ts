import type { MessageId } from "../i18n/catalog.js";
import type { TextRef } from "../i18n/ref.js";
import type { ChannelId, Sku } from "../ids.js";

/** A SKU's stock levels. `available` is computed here, never stored. */
export interface StockLevel {
  sku: Sku;
  title: string;
  onHand: number;
  reserved: number;
  available: number;
  lowThreshold: number | null;
  updatedAt: string;
}

/** One append-only stock movement. */
export interface Movement {
  id: number;
  at: string;
  sku: Sku;
  reason: string;
  actor: string;
  reference: string | null;
  onHandBefore: number;
  onHandAfter: number;
  reservedBefore: number;
  reservedAfter: number;
  idempotencyKey: string;
  note: string | null;
  /** Where on hand changed (null: a reservation-only change, or the single pool before locations). */
  location: string | null;
  /** That location's on hand before / after (null with no location). */
  locationBefore: number | null;
  locationAfter: number | null;
}

/** Reservation kinds: checkout holds expire; order reservations last until shipped or cancelled. */
export type ReservationKind = "hold" | "order";
/** Reservation lifecycle. */
export type ReservationStatus = "active" | "shipped" | "released" | "expired" | "cancelled";

/** A reservation of units of one SKU. */
export interface Reservation {
  id: string;
  kind: ReservationKind;
  sku: Sku;
  /** Units actually held. */
  qty: number;
  /** Units asked for; `requested − qty` is the oversell shortfall. */
  requested: number;
  status: ReservationStatus;
  ref: string | null;
  channelId: ChannelId | null;
  orderId: string | null;
  lineId: string | null;
  createdAt: string;
  expiresAt: string | null;
  closedAt: string | null;
  /** On a bundle component's reservation: the bundle line's (parent) reservation id. */
  parentId?: string | null;
}

/** A listing: one SKU on one channel, with its publishing overrides. */
export interface Listing {
  id: number;
  channelId: ChannelId;
  sku: Sku;
  ref: string;
  cap: number | null;
  buffer: number;
  sharePct: number | null;
  /** The risk-based buffer for this listing: on, off, or null to follow the channel's `riskBuffer`. */
  riskBuffer: boolean | null;
  isDelisted: boolean;
  confirmedQty: number | null;
  confirmedListed: boolean | null;
  confirmedAt: string | null;
}

/** A pending push: the newest target for one (channel, sku). */
export interface OutboxRow {
  channelId: ChannelId;
  sku: Sku;
  listingId: number;
  ref: string;
  targetQty: number;
  isListed: boolean;
  version: number;
  firstEnqueuedAt: string;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  /** Last quantity the channel confirmed (for compare-and-set). */
  confirmedQty: number | null;
  confirmedListed: boolean | null;
}

/** Alert severities; critical alerts are re-sent until acknowledged. */
export type Severity = "info" | "warning" | "critical";

/** A button under an alert; `labelId` names the catalog message for its label (the English `label` stays as fallback). */
export interface AlertButton {
  label: string;
  action: string;
  labelId?: MessageId;
}

/** An alert in the alert centre. */
export interface Alert {
  id: number;
  kind: string;
  subject: string;
  severity: Severity;
  /** English text (logs, pages); chats render `message` in their own language when it is set. */
  text: string;
  /** The text as a catalog message (issue 15); null for alerts raised with plain text. */
  message: TextRef | null;
  buttons: AlertButton[];
  status: "open" | "acked" | "resolved";
  raisedAt: string;
  lastRaisedAt: string;
  raiseCount: number;
  sentCount: number;
  lastSentAt: string | null;
  snoozedUntil: string | null;
  ackedBy: string | null;
  ackedAt: string | null;
  resolvedAt: string | null;
}

/** An oversell: an order line that found too little stock. */
export interface Oversell {
  id: number;
  at: string;
  sku: Sku;
  reservationId: string;
  channelId: string | null;
  orderId: string | null;
  requested: number;
  shortfall: number;
  resolvedAt: string | null;
}

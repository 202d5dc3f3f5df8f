/**
 * The calls part of the one contract (re-exported by protocol.ts, merged into its event maps).
 * Media flows peer to peer; these events carry signaling and the call's state, which the server
 * owns. Isomorphic: zod and types only.
 */
import { z } from "zod";

import { text } from "./text-schema";

import type { CallMatchDto } from "./match-protocol";
import type { AckCallback, PublicUserDto } from "./protocol";

const idSchema = text().min(1).max(64);

export const CALL_KINDS = ["audio", "video"] as const;
export type CallKind = (typeof CALL_KINDS)[number];
export type CallStatus = "ringing" | "active" | "ended";
/** How a call ended, as history shows it. */
export type CallOutcome = "completed" | "missed" | "declined" | "cancelled" | "busy" | "failed";
/** Why, in more detail (shown to both sides when a call ends). */
export type CallEndReason =
  | "hangup" // completed: one side ended an active call
  | "timeout" // missed: nobody answered within the ring timeout
  | "offline" // missed: the callee had no open device
  | "declined"
  | "cancelled" // the caller gave up while ringing
  | "busy" // the callee was already in a call
  | "disconnected" // a side's last socket went away and did not come back in time
  | "failed"; // media could not be established or recovered

/** Largest SDP relayed; real offers are a few KB. */
export const CALL_SDP_MAX_LENGTH = 16_384;
export const CALL_CANDIDATE_MAX_LENGTH = 1_024;
export const CALL_HISTORY_PAGE_SIZE = 20;

// ── Client → server ──────────────────────────────────────────────────────────
export const callStartInputSchema = z.object({ calleeId: idSchema, kind: z.enum(CALL_KINDS) }).strict();
export const callTargetInputSchema = z.object({ callId: idSchema }).strict();
/** `failed`: media could not be established or recovered; the call ends as failed for both sides. */
export const callHangupInputSchema = z.object({ callId: idSchema, failed: z.boolean().optional() }).strict();
export const callAcceptInputSchema = z.object({ callId: idSchema, withVideo: z.boolean() }).strict();
export const callSignalSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("offer"), sdp: text().min(1).max(CALL_SDP_MAX_LENGTH), iceRestart: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("answer"), sdp: text().min(1).max(CALL_SDP_MAX_LENGTH) }).strict(),
  z
    .object({
      type: z.literal("candidate"),
      candidate: z
        .object({
          candidate: text().max(CALL_CANDIDATE_MAX_LENGTH),
          sdpMid: text().max(64).nullable().optional(),
          sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
          usernameFragment: text().max(256).nullable().optional(),
        })
        .strict(),
    })
    .strict(),
]);
export type CallSignal = z.infer<typeof callSignalSchema>;
export const callSignalInputSchema = z.object({ callId: idSchema, signal: callSignalSchema }).strict();
export const callMediaStateInputSchema = z.object({ callId: idSchema, audioMuted: z.boolean(), videoOff: z.boolean() }).strict();
/** `match`: the ICE configuration for a match call (relay-only when MATCH_RELAY_ONLY is on). */
export const callIceConfigInputSchema = z.object({ match: z.boolean().optional() }).strict();
export const callHistoryInputSchema = z
  .object({ before: text().min(1).max(128).nullable().optional(), withUserId: idSchema.optional() })
  .strict();

// ── Server → client DTOs ─────────────────────────────────────────────────────
export type CallDto = {
  /** Unguessable. */
  id: string;
  kind: CallKind;
  caller: PublicUserDto;
  callee: PublicUserDto;
  /** The direct conversation between the two, where the call's chat line goes. */
  conversationId: string | null;
  status: CallStatus;
  outcome: CallOutcome | null;
  endReason: CallEndReason | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  /** Whole seconds between answer and end; 0 when never answered. */
  durationSeconds: number;
  /**
   * Set for a match call (anonymous): the other participant is then `{ id: MATCH_PEER_ID, name:
   * <their alias> }`, and conversationId is null. Each side gets its own DTO.
   */
  match: CallMatchDto | null;
};
export type CallHistoryItemDto = CallDto & { direction: "outgoing" | "incoming"; cursor: string };
export type CallHistoryPageDto = { items: CallHistoryItemDto[]; hasMore: boolean };
/** Shape of RTCIceServer; credentials may be short-lived (TURN REST). */
export type IceServerDto = { urls: string[]; username?: string; credential?: string };
/** "relay": only TURN-relayed candidates (match calls with MATCH_RELAY_ONLY: no IP reaches the other side). */
export type IceConfigDto = { iceServers: IceServerDto[]; iceTransportPolicy: "all" | "relay" };
/** Relayed only to the other side's device, so it names no user: the sender is implied. */
export type PeerMediaDto = { callId: string; audioMuted: boolean; videoOff: boolean };

// ── Event maps (merged into protocol.ts) ─────────────────────────────────────
export type CallClientEvents = {
  /** Rings every device of the callee; ends at once as busy/offline when it cannot ring. */
  "call:start": (input: z.infer<typeof callStartInputSchema>, ack: AckCallback<CallDto>) => void;
  /** First accepting device wins; a later one gets CONFLICT. */
  "call:accept": (input: z.infer<typeof callAcceptInputSchema>, ack: AckCallback<CallDto>) => void;
  "call:decline": (input: z.infer<typeof callTargetInputSchema>, ack: AckCallback<CallDto>) => void;
  /** Cancel while ringing (caller) or hang up an active call (either side). */
  "call:hangup": (input: z.infer<typeof callHangupInputSchema>, ack: AckCallback<CallDto>) => void;
  /** Offer/answer/ICE candidate to the other participant's answering device only. */
  "call:signal": (input: z.infer<typeof callSignalInputSchema>, ack: AckCallback<{ relayed: true }>) => void;
  "call:media-state": (input: z.infer<typeof callMediaStateInputSchema>, ack: AckCallback<{ relayed: true }>) => void;
  "call:history": (input: z.infer<typeof callHistoryInputSchema>, ack: AckCallback<CallHistoryPageDto>) => void;
  "call:ice-config": (input: z.infer<typeof callIceConfigInputSchema>, ack: AckCallback<IceConfigDto>) => void;
  /**
   * After a reconnect: the caller's live call, if any, so the UI can resume or close it.
   * `onThisDevice`: this socket is (now) the user's device for the call, so it resumes it (ICE
   * restart); false when another device holds it, or for a callee's call that is still ringing.
   */
  "call:current": (input: Record<string, never>, ack: AckCallback<{ call: CallDto | null; onThisDevice: boolean }>) => void;
};

export type CallServerEvents = {
  /** To every device of the callee. */
  "call:incoming": (event: { call: CallDto }) => void;
  /** Accepted: to the caller and to the accepting device. */
  "call:accepted": (event: { call: CallDto }) => void;
  /** To the callee's other devices: stop ringing, "answered on another device". */
  "call:answered-elsewhere": (event: { callId: string }) => void;
  /** To every device of both sides. */
  "call:ended": (event: { call: CallDto }) => void;
  /** From the other side's device; names no user (match calls are anonymous). */
  "call:signal": (event: { callId: string; signal: CallSignal }) => void;
  "call:peer-media": (event: PeerMediaDto) => void;
};

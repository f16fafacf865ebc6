import type { Logger } from '../../logger';
import type { EventPayloads, UserRef } from '../../events/types';
import { callRepository, type CallRow } from '../../repositories/call.repository';
import type { CallSignal } from './call-nodes';

/**
 * The calls of one session: kept in memory while they are open (and a while after), written to
 * PostgreSQL at every change of state (call history survives restarts) and published as `Call`
 * events. States: `calling` (our offer is out), `ringing` (an incoming offer, or the peer's phone
 * rings for ours), `accepted` (answered in the signalling), `connected` (answered and an audio
 * path is attached), and the final `rejected`, `missed`, `ended`.
 */
export type CallState = 'calling' | 'ringing' | 'accepted' | 'connected' | 'rejected' | 'missed' | 'ended';
export const OPEN_CALL_STATES: readonly CallState[] = ['calling', 'ringing', 'accepted', 'connected'];
export const isOpenCall = (state: string) => (OPEN_CALL_STATES as readonly string[]).includes(state);

/** The call's other party, as the stanzas address it. */
export const peerAddress = (call: TrackedCall) => (call.direction === 'incoming' ? call.creator : (call.peerJid ?? call.peerLid ?? call.creator));

/** Who made a call change state. */
export type CallActor = 'peer' | 'gateway' | 'whatsapp' | 'other-device';

/** What started a change: a WhatsApp stanza's step (`offer`, `accept`, …) or the same step sent by this session. */
export type CallStep = string;

export type TrackedCall = CallRow;

type PublishCall = (data: EventPayloads['Call']) => Promise<unknown>;

/** Ended calls kept in memory for `GET /call/status?callID=` (older ones are read from PostgreSQL). */
const ENDED_KEPT = 100;

export class CallBook {
  private readonly calls = new Map<string, TrackedCall>();
  private leftOpenClosed = false;
  private readonly changeListeners = new Set<(call: TrackedCall) => Promise<void>>();

  constructor(
    readonly sessionId: string,
    private readonly publish: PublishCall,
    private readonly logger: Logger,
  ) {}

  /** Closes, once per run, calls a previous run of this session left open: their signalling is gone. */
  async closeLeftOpen(): Promise<void> {
    if (this.leftOpenClosed) return;
    this.leftOpenClosed = true;
    const closed = await callRepository.closeLeftOpen(this.sessionId, OPEN_CALL_STATES, 'the gateway restarted during the call', new Date());
    if (closed) this.logger.info({ closed }, 'calls left open by the previous run marked ended');
  }

  /** Runs `listener` after every change of a call's state (once written, before the event). */
  onChange(listener: (call: TrackedCall) => Promise<void>): void {
    this.changeListeners.add(listener);
  }

  get(callId: string): TrackedCall | undefined {
    return this.calls.get(callId);
  }

  /** A call of this session from memory, else from the call history. */
  async find(callId: string): Promise<TrackedCall | undefined> {
    return this.calls.get(callId) ?? (await callRepository.find(this.sessionId, callId));
  }

  /** Open calls, oldest first. */
  active(): TrackedCall[] {
    return [...this.calls.values()].filter((c) => isOpenCall(c.state));
  }

  /** Starts tracking a call (an incoming offer, or an offer this session sends). */
  async track(
    call: Omit<TrackedCall, 'sessionId' | 'state' | 'history' | 'endReason' | 'endedAt'>,
    state: CallState,
    by: CallActor,
    step: CallStep,
    extra: { peer: UserRef; caller: UserRef; offline?: boolean },
  ): Promise<TrackedCall> {
    const tracked: TrackedCall = { ...call, sessionId: this.sessionId, state, history: [{ state, at: call.startedAt.toISOString(), by }], endReason: null, endedAt: null };
    this.calls.set(call.callId, tracked);
    await this.persistAndPublish(tracked, { previous: null, by, step, ...extra });
    return tracked;
  }

  /** Moves a call to `state` (a no-op when it is there already); returns the call. */
  async transition(call: TrackedCall, state: CallState, by: CallActor, step: CallStep, opts: { reason?: string | null; at?: Date; offline?: boolean } = {}): Promise<TrackedCall> {
    if (call.state === state) return call;
    const previous = call.state;
    const at = opts.at ?? new Date();
    call.state = state;
    call.history.push({ state, at: at.toISOString(), by });
    if (!isOpenCall(state)) {
      call.endedAt = at;
      call.endReason = opts.reason ?? call.endReason ?? null;
      this.forgetOldEnded();
    }
    const peer = { jid: call.peerJid, lid: call.peerLid };
    const caller = call.direction === 'incoming' ? peer : { jid: call.creator, lid: null };
    await this.persistAndPublish(call, { previous, by, step, peer, caller, offline: opts.offline });
    return call;
  }

  /** Applies a call stanza WhatsApp delivered to a call this session tracks. */
  async onSignal(signal: CallSignal, peerOf: (signal: CallSignal) => Promise<UserRef>): Promise<void> {
    const known = this.calls.get(signal.callId);
    if (signal.kind === 'offer') {
      if (known) return; // an offer_notice or a repeated offer
      const peer = await peerOf(signal);
      await this.track(
        { callId: signal.callId, creator: signal.creator, peerJid: peer.jid, peerLid: peer.lid, direction: 'incoming', isVideo: signal.isVideo, isGroup: signal.isGroup, groupJid: signal.groupJid, startedAt: signal.at },
        'ringing',
        'peer',
        'offer',
        { peer, caller: peer, offline: signal.offline },
      );
      return;
    }
    if (!known || !isOpenCall(known.state)) {
      this.logger.debug({ callId: signal.callId, kind: signal.kind }, 'call stanza for a call not open here ignored');
      return;
    }
    const next = nextState(known, signal);
    if (next) await this.transition(known, next.state, next.by, signal.kind, { reason: next.reason, offline: signal.offline });
  }

  private forgetOldEnded(): void {
    const ended = [...this.calls.values()].filter((c) => !isOpenCall(c.state));
    for (const call of ended.slice(0, Math.max(0, ended.length - ENDED_KEPT))) this.calls.delete(call.callId);
  }

  private async persistAndPublish(call: TrackedCall, change: { previous: string | null; by: CallActor; step: CallStep; peer: UserRef; caller: UserRef; offline?: boolean }): Promise<void> {
    try {
      await callRepository.save(call);
    } catch (error) {
      this.logger.error({ err: error, callId: call.callId }, 'could not write the call to the call history');
    }
    for (const listener of this.changeListeners) {
      await listener(call).catch((error: unknown) => this.logger.error({ err: error, callId: call.callId, state: call.state }, 'a call change listener failed'));
    }
    await this.publish({
      id: call.callId,
      status: change.step,
      state: call.state,
      previous: change.previous,
      by: change.by,
      direction: call.direction,
      from: change.caller,
      peer: change.peer,
      isVideo: call.isVideo,
      isGroup: call.isGroup,
      groupJid: call.groupJid,
      offline: Boolean(change.offline),
      date: call.history[call.history.length - 1]!.at,
      endReason: call.endReason,
    });
  }
}

/** How a stanza from WhatsApp moves an open call on (undefined: no change). */
function nextState(call: TrackedCall, signal: CallSignal): { state: CallState; by: CallActor; reason?: string } | undefined {
  const incoming = call.direction === 'incoming';
  switch (signal.kind) {
    case 'preaccept':
    case 'ringing':
      return !incoming && call.state === 'calling' ? { state: 'ringing', by: 'peer' } : undefined;
    case 'accept':
      // on an incoming call, WhatsApp tells the other devices that one of them answered
      return incoming ? { state: 'ended', by: 'other-device', reason: 'answered on another device' } : { state: 'accepted', by: 'peer' };
    case 'reject':
      return incoming ? { state: 'rejected', by: 'other-device', reason: 'rejected on another device' } : { state: 'rejected', by: 'peer', reason: 'rejected by the peer' };
    case 'timeout':
      return { state: 'missed', by: 'whatsapp', reason: 'nobody answered' };
    case 'terminate': {
      const answered = call.state === 'accepted' || call.state === 'connected';
      if (answered) return { state: 'ended', by: 'peer', reason: signal.reason ?? 'hung up by the peer' };
      return incoming ? { state: 'missed', by: 'peer', reason: signal.reason ?? 'the caller hung up before it was answered' } : { state: 'ended', by: 'peer', reason: signal.reason ?? 'ended before it was answered' };
    }
    default:
      return undefined; // transport, relaylatency: media negotiation, no change of state
  }
}

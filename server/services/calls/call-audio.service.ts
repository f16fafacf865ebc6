import { relative } from 'node:path';
import { ApiError, conflict, notFound } from '../../http/errors';
import { getRuntime } from '../../runtime/registry';
import { callFolders } from '../../calls/call-folders';
import { FilePlayer } from '../../calls/file-player';
import { fileToRead, fileToWrite, sessionFolder } from '../../calls/media-paths';
import { WavRecorder } from '../../calls/wav-recorder';
import type { CallHub } from '../../calls/hub';
import { isOpenCall } from '../../whatsapp/calls/call-book';
import { callRepository } from '../../repositories/call.repository';
import type { SessionRunner } from '../../whatsapp/session-runner';

/**
 * Audio into and out of a call's media hub: play a server-side file into the call (pause, resume,
 * stop), record both directions to WAV. Files stay inside WAGO_CALL_MEDIA_DIR and the session's
 * folder of WAGO_CALL_RECORDINGS_DIR (see calls/media-paths.ts).
 */

export interface PlaybackAnswer {
  Details: string;
  CallID: string;
  AudioFile: string | null;
  State: string;
}

export interface RecordingAnswer {
  Details: string;
  CallID: string;
  /** Relative to the session's recordings folder. */
  Path: string;
  Recording: boolean;
  Bytes?: number;
  DurationMs?: number;
}

const folders = () => callFolders(getRuntime().config);

/** The session's runner (409 when it does not run here). */
export function callRunner(sessionId: string): SessionRunner {
  const runner = getRuntime().sessions.get(sessionId);
  if (!runner) throw conflict('session is not connected: POST /session/connect first');
  return runner;
}

/** The hub of an answered call: 404 unknown call, 501 no audio path (real WhatsApp), 409 not answered or over. */
export async function callHub(runner: SessionRunner, callId: string, field = 'CallID'): Promise<CallHub> {
  const call = runner.calls.get(callId) ?? (await callRepository.find(runner.info.id, callId));
  if (!call) throw notFound(`${field}: no call ${callId} in this session`);
  if (runner.media.leg.unavailable) throw new ApiError(501, runner.media.leg.unavailable);
  if (!isOpenCall(call.state)) throw conflict(`${field}: the call is over (${call.state})`);
  const hub = runner.media.hub(callId);
  if (!hub) throw conflict(`${field}: the call is ${call.state}; audio flows once it is answered`);
  return hub;
}

export async function playIntoCall(sessionId: string, callId: string, audioFile: string): Promise<PlaybackAnswer> {
  const path = await fileToRead(folders().media, audioFile, 'AudioFile');
  const hub = await callHub(callRunner(sessionId), callId);
  hub.play(new FilePlayer(path));
  return { Details: 'Playing', CallID: callId, AudioFile: audioFile, State: 'playing' };
}

export async function controlPlayback(sessionId: string, callId: string, action: 'pause' | 'resume' | 'stop'): Promise<PlaybackAnswer> {
  const hub = await callHub(callRunner(sessionId), callId);
  const player = hub.playing;
  if (!player) throw conflict('CallID: nothing is playing in this call');
  if (action === 'pause' && player.state !== 'playing') throw conflict(`CallID: the playback is ${player.state}`);
  if (action === 'resume' && player.state !== 'paused') throw conflict(`CallID: the playback is ${player.state}, not paused`);
  player[action]();
  return { Details: { pause: 'Playback paused', resume: 'Playback resumed', stop: 'Playback stopped' }[action], CallID: callId, AudioFile: relative(folders().media, player.path), State: player.state };
}

export async function startRecording(sessionId: string, callId: string, rawPath?: string): Promise<RecordingAnswer> {
  const root = sessionFolder(folders().recordings, sessionId);
  const wanted = rawPath ?? `${callId}-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`;
  if (!/\.wav$/i.test(wanted)) throw new ApiError(400, 'Path: must end in .wav');
  const runner = callRunner(sessionId);
  const hub = await callHub(runner, callId);
  if (hub.recording) throw conflict('CallID: the call is being recorded already');
  const path = await fileToWrite(root, wanted, 'Path');
  hub.record(await WavRecorder.create(path));
  return { Details: 'Recording', CallID: callId, Path: relative(root, path), Recording: true };
}

export async function stopRecording(sessionId: string, callId: string): Promise<RecordingAnswer> {
  const root = sessionFolder(folders().recordings, sessionId);
  const runner = callRunner(sessionId);
  const finished = runner.media.finishedRecording(callId);
  const hub = runner.media.hub(callId);
  if (!hub && finished) return { Details: 'The recording was finished when the call ended', CallID: callId, Path: relative(root, finished.path), Recording: false, Bytes: finished.bytes, DurationMs: finished.durationMs };
  const summary = await (await callHub(runner, callId)).stopRecording();
  if (!summary) throw conflict('CallID: the call is not being recorded');
  return { Details: 'Recording finished', CallID: callId, Path: relative(root, summary.path), Recording: false, Bytes: summary.bytes, DurationMs: summary.durationMs };
}

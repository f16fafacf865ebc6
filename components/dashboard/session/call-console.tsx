'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { useLive } from '../live';
import { Button } from '../../ui/button';
import { Card, ErrorNote } from '../../ui/card';
import { Pill, useCoalesced } from './shared';
import { connectBrowserAudio, startRingtone, type BrowserAudio } from './call-audio';
import { CallHistory, callHistoryKeys } from './call-history';

type Call = RouterOutputs['calls']['active']['Calls'][number];

const activeKey = (sessionId: string) => ['calls.active', sessionId] as const;
export const peerLabel = (call: Call) => (call.Peer.Jid ?? call.Peer.Lid ?? call.Creator).replace(/@.*$/, '').replace(/^(\d+)$/, '+$1');

/**
 * The session's call console: an incoming call rings (banner and ringtone); Answer connects this
 * browser's microphone and speaker to the call over WebRTC; Reject, Hang up, play a file (pause,
 * resume, stop it), record.
 * Live from the session's Call events; the history and recordings below.
 */
export function CallConsole({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const active = useQuery({ queryKey: activeKey(sessionId), queryFn: () => trpc.calls.active.query({ sessionId }) });
  const refresh = useCoalesced(() => {
    void queryClient.invalidateQueries({ queryKey: activeKey(sessionId) });
    for (const key of callHistoryKeys(sessionId)) void queryClient.invalidateQueries({ queryKey: key });
  }, 100);
  useLive([sessionId], { onEvent: (event) => event.type === 'Call' && refresh() });

  // the call this tab answered connects its audio at once; another (answered elsewhere) on request
  const [answeredHere, setAnsweredHere] = useState<string | null>(null);
  const calls = active.data?.Calls ?? [];
  const ringing = calls.find((c) => c.Direction === 'incoming' && c.State === 'ringing');
  const current = calls.find((c) => c.State === 'accepted' || c.State === 'connected' || c.State === 'calling' || (c.State === 'ringing' && c.Direction === 'outgoing'));

  useEffect(() => {
    if (!ringing) return;
    return startRingtone();
  }, [ringing?.CallID]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Card className={className} title="Calls" description="Incoming calls ring here; answer to talk through this browser’s microphone and speaker. Updated live.">
      <div className="flex flex-col gap-4" data-testid="call-console">
        {active.error && <ErrorNote>{errorMessage(active.error)}</ErrorNote>}
        {ringing && <IncomingBanner sessionId={sessionId} call={ringing} onAnswered={setAnsweredHere} onChange={refresh} />}
        {current ? (
          <ActiveCall key={current.CallID} sessionId={sessionId} call={current} autoConnect={answeredHere === current.CallID} onChange={refresh} />
        ) : (
          !ringing && <p className="text-sm text-slate-500" data-testid="no-call">No call right now.</p>
        )}
        <CallHistory sessionId={sessionId} />
      </div>
    </Card>
  );
}

function IncomingBanner({ sessionId, call, onAnswered, onChange }: { sessionId: string; call: Call; onAnswered: (callId: string) => void; onChange: () => void }) {
  const answer = useMutation({
    mutationFn: () => trpc.calls.answer.mutate({ sessionId, callId: call.CallID }),
    onSuccess: () => {
      onAnswered(call.CallID);
      onChange();
    },
  });
  const reject = useMutation({ mutationFn: () => trpc.calls.reject.mutate({ sessionId, callId: call.CallID }), onSuccess: onChange });
  return (
    <div role="alert" data-testid="incoming-call" data-call-id={call.CallID} className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-emerald-300 bg-emerald-50 px-4 py-3">
      <div>
        <p className="font-medium text-emerald-900">
          Incoming {call.Group ? 'group ' : ''}
          {call.Video ? 'video ' : ''}call from {peerLabel(call)}
        </p>
        {call.Group && <p className="text-xs text-emerald-800">WaGo does not take group calls: reject it or let it ring.</p>}
        <ErrorNote>{(answer.error ?? reject.error) && errorMessage(answer.error ?? reject.error)}</ErrorNote>
      </div>
      <div className="flex gap-2">
        {!call.Group && (
          <Button busy={answer.isPending} disabled={answer.isPending || reject.isPending} onClick={() => answer.mutate()}>
            Answer
          </Button>
        )}
        <Button variant="danger" busy={reject.isPending} disabled={answer.isPending || reject.isPending} onClick={() => reject.mutate()}>
          Reject
        </Button>
      </div>
    </div>
  );
}

function ActiveCall({ sessionId, call, autoConnect, onChange }: { sessionId: string; call: Call; autoConnect: boolean; onChange: () => void }) {
  const speaker = useRef<HTMLAudioElement>(null);
  const [audio, setAudio] = useState<BrowserAudio | null>(null);
  const [peakHz, setPeakHz] = useState(0);
  const [file, setFile] = useState('');
  const [recordingPath, setRecordingPath] = useState<string | null>(null);
  const answered = call.State === 'accepted' || call.State === 'connected';

  const connect = useMutation({
    mutationFn: async () => {
      const config = await trpc.calls.webrtcConfig.query({ sessionId });
      return connectBrowserAudio({
        iceServers: config.iceServers,
        speaker: speaker.current!,
        offer: async (sdp) => (await trpc.calls.webrtcOffer.mutate({ sessionId, callId: call.CallID, sdp })).sdp,
      });
    },
    onSuccess: setAudio,
  });
  // a call answered in this tab connects its audio once, as soon as the call's hub is up
  useEffect(() => {
    if (autoConnect && answered && !audio && connect.isIdle) connect.mutate();
  }, [autoConnect, answered, audio, connect]);
  useEffect(() => {
    if (!audio) return;
    const timer = setInterval(() => setPeakHz(audio.peakHz()), 200);
    return () => {
      clearInterval(timer);
      audio.close();
    };
  }, [audio]);

  const hangup = useMutation({ mutationFn: () => trpc.calls.hangup.mutate({ sessionId, callId: call.CallID }), onSuccess: onChange });
  // the file playing into the call, as the last answer said (a file that ended: the next control says so)
  const [playback, setPlayback] = useState<string | null>(null);
  const play = useMutation({ mutationFn: () => trpc.calls.play.mutate({ sessionId, callId: call.CallID, audioFile: file }), onSuccess: (r) => setPlayback(r.State) });
  const control = useMutation({
    mutationFn: (action: 'pause' | 'resume' | 'stop') => trpc.calls.playback.mutate({ sessionId, callId: call.CallID, action }),
    onSuccess: (r) => setPlayback(r.State === 'playing' || r.State === 'paused' ? r.State : null),
    onError: () => setPlayback(null),
  });
  const record = useMutation({
    mutationFn: () => trpc.calls.record.mutate({ sessionId, callId: call.CallID }),
    onSuccess: (r) => {
      setRecordingPath(r.Path);
      onChange();
    },
  });
  const stopRecord = useMutation({
    mutationFn: () => trpc.calls.recordStop.mutate({ sessionId, callId: call.CallID }),
    onSuccess: () => {
      setRecordingPath(null);
      onChange();
    },
  });
  const error = connect.error ?? hangup.error ?? play.error ?? control.error ?? record.error ?? stopRecord.error;

  return (
    <div data-testid="active-call" data-call-id={call.CallID} data-state={call.State} className="flex flex-col gap-3 rounded-lg border border-slate-200 px-4 py-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <span className="font-medium text-slate-800">{peerLabel(call)}</span>
          <Pill tone={call.State === 'connected' ? 'green' : 'amber'}>
            <span data-testid="call-state">{call.State}</span>
          </Pill>
          {audio && (
            <span className="text-xs text-slate-500" data-testid="call-hearing" data-peak-hz={peakHz}>
              {peakHz ? `hearing ${peakHz} Hz` : 'silence'}
            </span>
          )}
        </div>
        <div className="flex gap-2">
          {answered && !audio && (
            <Button variant="secondary" busy={connect.isPending} disabled={connect.isPending} onClick={() => connect.mutate()}>
              Talk from this browser
            </Button>
          )}
          <Button variant="danger" busy={hangup.isPending} disabled={hangup.isPending} onClick={() => hangup.mutate()}>
            Hang up
          </Button>
        </div>
      </div>
      <audio ref={speaker} autoPlay data-testid="call-speaker" />
      {answered && (
        <div className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col gap-1 text-sm text-slate-700">
            Audio file
            <input className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm" placeholder="hold-music.ogg" value={file} onChange={(e) => setFile(e.target.value)} />
          </label>
          <Button variant="secondary" busy={play.isPending} disabled={!file.trim() || play.isPending} onClick={() => play.mutate()}>
            Play file
          </Button>
          {playback === 'paused' ? (
            <Button variant="secondary" busy={control.isPending} disabled={control.isPending} onClick={() => control.mutate('resume')}>
              Resume file
            </Button>
          ) : (
            <Button variant="secondary" busy={control.isPending} disabled={control.isPending || playback !== 'playing'} onClick={() => control.mutate('pause')}>
              Pause file
            </Button>
          )}
          <Button variant="ghost" busy={control.isPending} disabled={control.isPending} onClick={() => control.mutate('stop')}>
            Stop file
          </Button>
          {playback && (
            <span className="text-xs text-slate-500" data-testid="playback-state" data-state={playback}>
              file {playback}
            </span>
          )}
          {recordingPath ? (
            <Button variant="secondary" busy={stopRecord.isPending} onClick={() => stopRecord.mutate()}>
              Stop recording
            </Button>
          ) : (
            <Button variant="secondary" busy={record.isPending} onClick={() => record.mutate()}>
              Start recording
            </Button>
          )}
          {recordingPath && (
            <span className="text-xs text-rose-700" data-testid="recording-on">
              recording to {recordingPath}
            </span>
          )}
        </div>
      )}
      <ErrorNote>{error && errorMessage(error)}</ErrorNote>
    </div>
  );
}

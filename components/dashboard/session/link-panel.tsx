'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { trpc, errorMessage } from '../trpc';
import { useLive } from '../live';
import { Button } from '../../ui/button';
import { Card, ErrorNote, Spinner } from '../../ui/card';
import { httpStatusOf, type SandboxInfo, type SessionDetailData } from './shared';
import { PairLink, SandboxLink } from './pair-link';
import { LINK_PANEL_ID } from './session-fix-buttons';

const qrKey = (sessionId: string) => ['session.qr', sessionId] as const;
/** How long to keep asking for the first QR code while WhatsApp prepares it. */
const FIRST_QR_WAIT_MS = 20_000;

/** Linking a session that is not logged in: QR code, pairing code, or (sandbox) a simulated phone. */
export function LinkPanel({ session, sandbox }: { session: SessionDetailData; sandbox: SandboxInfo }) {
  return (
    <Card
      id={LINK_PANEL_ID}
      title="Link to WhatsApp"
      description="This session is not linked to a WhatsApp account yet. Link it like any linked device; this panel closes once the phone is connected."
    >
      <div className={`grid gap-6 ${sandbox.enabled ? 'lg:grid-cols-3' : 'md:grid-cols-2'}`} data-testid="link-panel">
        <QrLink sessionId={session.id} state={session.state} />
        <PairLink sessionId={session.id} />
        {sandbox.enabled && <SandboxLink sessionId={session.id} phones={sandbox.phones} />}
      </div>
    </Card>
  );
}

function QrLink({ sessionId, state }: { sessionId: string; state: string }) {
  const queryClient = useQueryClient();
  // When linking started (by this page, or already under way when it opened): null = not asked.
  const [startedAt, setStartedAt] = useState<number | null>(() => (state === 'qr' ? Date.now() : null));

  const connect = useMutation({
    mutationFn: () => trpc.session.connect.mutate({ sessionId }),
    onSuccess: () => {
      void queryClient.resetQueries({ queryKey: qrKey(sessionId) });
      setStartedAt(Date.now());
    },
  });

  const qr = useQuery({
    queryKey: qrKey(sessionId),
    queryFn: () => trpc.session.qr.query({ sessionId }),
    enabled: startedAt !== null,
    retry: false,
    staleTime: 0,
    refetchOnWindowFocus: false,
    refetchInterval: (query) => {
      if (startedAt === null) return false;
      const { data, error } = query.state;
      if (error && httpStatusOf(error) !== 409) return false;
      if (data) return error ? false : 5_000; // live QR events refresh it; this is only a fallback
      return Date.now() - startedAt < FIRST_QR_WAIT_MS ? 1_000 : false;
    },
  });

  useLive([sessionId], {
    onEvent: (event) => {
      if (event.type !== 'QR') return;
      if (startedAt === null) setStartedAt(Date.now()); // linking was started elsewhere (API)
      void queryClient.invalidateQueries({ queryKey: qrKey(sessionId) });
    },
  });

  const conflict = qr.error !== null && httpStatusOf(qr.error) === 409;
  const stillWaiting = startedAt !== null && conflict && !qr.data && qr.errorUpdatedAt - startedAt < FIRST_QR_WAIT_MS;
  const waiting = connect.isPending || (startedAt !== null && !qr.data && (qr.error === null || stillWaiting));
  // Once scanned, the session reconnects as the new linked device: no QR any more, and that is good news.
  const scanned = qr.data !== undefined && (state === 'connecting' || state === 'connected');
  const failed = !waiting && !scanned && qr.error !== null;
  const restart = () => connect.mutate();

  return (
    <section aria-labelledby={`qr-${sessionId}`} className="flex flex-col gap-3">
      <h3 id={`qr-${sessionId}`} className="text-sm font-semibold text-slate-900">Link with QR code</h3>
      {startedAt === null && !connect.isPending ? (
        <>
          <p className="text-sm text-slate-600">Shows a QR code to scan with the phone that has WhatsApp.</p>
          <div>
            <Button onClick={restart}>Link with QR code</Button>
          </div>
        </>
      ) : waiting ? (
        <Spinner label="Waiting for WhatsApp’s QR code" />
      ) : scanned ? (
        <Spinner label="QR code scanned: connecting" />
      ) : failed ? (
        <>
          <ErrorNote>
            {conflict && qr.data ? 'The QR code expired before it was scanned.' : errorMessage(qr.error)}
          </ErrorNote>
          <div>
            <Button variant="secondary" onClick={restart}>Get a new QR code</Button>
          </div>
        </>
      ) : qr.data ? (
        <div className="flex flex-col items-start gap-3">
          <img
            src={qr.data.QRCode}
            alt="QR code to scan with WhatsApp"
            data-testid="qr-image"
            data-code={qr.data.Code}
            width={256}
            height={256}
            className="h-64 w-64 rounded-lg border border-slate-200 bg-white p-2"
          />
          <Countdown until={qr.data.ExpiresAt} onExpired={() => void qr.refetch()} />
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-600">
            <li>Open WhatsApp on your phone.</li>
            <li>Go to Settings → <strong>Linked devices</strong> → <strong>Link a device</strong>.</li>
            <li>Point the phone at this code. It changes every few seconds; this page follows.</li>
          </ol>
        </div>
      ) : null}
      <ErrorNote>{connect.error && errorMessage(connect.error, { action: true })}</ErrorNote>
    </section>
  );
}

/** "expires in 17 s", ticking every second; calls `onExpired` once the time is up. */
function Countdown({ until, onExpired }: { until: string; onExpired: () => void }) {
  const [now, setNow] = useState<number | null>(null);
  const expiredRef = useRef(onExpired);
  expiredRef.current = onExpired;
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const seconds = now === null ? null : Math.max(0, Math.ceil((Date.parse(until) - now) / 1_000));
  const expired = seconds === 0;
  useEffect(() => {
    if (expired) expiredRef.current();
  }, [expired, until]);
  if (seconds === null) return null;
  return (
    <p className="text-sm text-slate-500" data-testid="qr-countdown">
      {expired ? 'Expired: waiting for the next code…' : `expires in ${seconds} s`}
    </p>
  );
}

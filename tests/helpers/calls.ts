import { waitFor, type EmulatedWago, type listen } from './emulated-wago';
import type { WagoEvent } from '../../server/events/types';
import type { CallView } from '../../server/services/calls/call-view';

/** Reading and driving one session's calls in a test: REST, its live `Call` events, and the emulated phone's side. */
export function callProbes(env: () => EmulatedWago, token: () => string, events: () => Awaited<ReturnType<typeof listen>>) {
  const status = (callId: string) => env().wago.call<CallView>('GET', `/call/status?callID=${callId}`, { token: token() });
  return {
    status,
    post: (path: string, body: unknown) => env().wago.call<{ Details: string; Call: CallView }>('POST', path, { token: token(), body }),
    callEvent: (callId: string, state: string) =>
      events().next('Call', (e) => (e as WagoEvent<'Call'>).data.id === callId && (e as WagoEvent<'Call'>).data.state === state) as Promise<WagoEvent<'Call'>>,
    wagoState: (callId: string, state: string) => waitFor(`call ${callId} ${state} in WaGo`, async () => (await status(callId)).body.data?.State === state),
    emuState: (callId: string, state: string) => waitFor(`call ${callId} ${state} on the phone`, async () => env().emu.calls.get(callId).state === state),
  };
}

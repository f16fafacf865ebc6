'use client';

import { useRef, useState } from 'react';
import { Button } from '../../../ui/button';
import type { ThreadMessage } from './bubble';

export interface Reply {
  text: string;
  attachment?: { data: string; fileName: string };
  quoted?: ThreadMessage;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

/** Type a reply, attach a file (sent as a photo, video, audio or document), send. */
export function Composer({ busy, quoted, onClearQuote, onSend }: { busy: boolean; quoted: ThreadMessage | null; onClearQuote: () => void; onSend: (reply: Reply) => Promise<boolean> }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  async function submit() {
    setReadError(null);
    let attachment: Reply['attachment'];
    if (file) {
      try {
        attachment = { data: await readAsDataUrl(file), fileName: file.name };
      } catch (error) {
        setReadError(error instanceof Error ? error.message : String(error));
        return;
      }
    }
    if (await onSend({ text, attachment, quoted: quoted ?? undefined })) {
      setText('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  return (
    <form
      data-testid="composer"
      className="flex flex-col gap-2 border-t border-slate-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {quoted && (
        <div className="flex min-w-0 items-center gap-2 rounded-lg border-l-4 border-emerald-500 bg-slate-50 px-2 py-1 text-xs text-slate-600" data-testid="composer-quote">
          <span className="min-w-0 flex-1 truncate">Replying to: {quoted.text ?? quoted.kind}</span>
          <button type="button" onClick={onClearQuote} className="shrink-0 text-slate-500 hover:text-slate-800" aria-label="Cancel the reply">✕</button>
        </div>
      )}
      {file && (
        <div className="flex min-w-0 items-center gap-2 text-xs text-slate-600" data-testid="composer-file">
          <span aria-hidden>📎</span>
          <span className="min-w-0 flex-1 truncate">{file.name}</span>
          <button type="button" onClick={() => { setFile(null); if (fileInput.current) fileInput.current.value = ''; }} className="shrink-0 text-slate-500 hover:text-slate-800" aria-label="Remove the attachment">✕</button>
        </div>
      )}
      {readError && <p className="text-xs text-rose-700">{readError}</p>}
      <div className="flex min-w-0 items-end gap-2">
        <label className="flex h-10 w-10 shrink-0 cursor-pointer items-center justify-center rounded-lg border border-slate-300 bg-white text-lg hover:bg-slate-50" title="Attach a file">
          <span aria-hidden>📎</span>
          <span className="sr-only">Attach a file</span>
          <input ref={fileInput} type="file" className="sr-only" data-testid="attach" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void submit();
            }
          }}
          rows={1}
          placeholder={file ? 'Add a caption…' : 'Type a message'}
          aria-label="Message"
          className="min-h-10 min-w-0 flex-1 resize-y rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500"
        />
        <Button type="submit" busy={busy} disabled={!text.trim() && !file} className="h-10 shrink-0">
          Send
        </Button>
      </div>
    </form>
  );
}

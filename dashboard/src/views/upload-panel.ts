import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { callApi, type Session } from '../api-client';
import { SessionEndedError } from '../api-error';
import { checkBeforeUpload } from '../check-file';
import type { DashboardConfig } from '../config';
import { messageOf } from '../messages';
import { pollUntil } from '../poll';
import { postToStorage } from '../presigned-upload';
import {
  formatBytes,
  outcomeOfCheck,
  outcomeOfRecord,
  type UploadOutcome,
  type UploadPermission,
  type UploadRecord,
} from '../upload-outcome';
import { ProblemsTable } from './problems-table';

type UploadState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking'; readonly fileName: string }
  | { readonly kind: 'uploading'; readonly fileName: string; readonly loaded: number; readonly total: number }
  | { readonly kind: 'waiting'; readonly fileName: string }
  | { readonly kind: 'decided'; readonly fileName: string; readonly outcome: UploadOutcome }
  | { readonly kind: 'undecided'; readonly fileName: string }
  | { readonly kind: 'failed'; readonly fileName: string; readonly message: string };

/** The pipeline normally decides within seconds; past this the page stops waiting and says so. */
const DECISION_WAIT = { firstDelayMs: 1000, maxDelayMs: 5000, deadlineMs: 3 * 60 * 1000 };
const LONGEST_FILE_NAME = 255;

interface Props {
  readonly config: DashboardConfig;
  readonly session: Session;
  /** Called when the pipeline wrote products, so the Inventory table reloads. */
  readonly onWritten: () => void;
}

export function UploadPanel({ config, session, onWritten }: Props) {
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = state.kind === 'checking' || state.kind === 'uploading' || state.kind === 'waiting';

  async function upload(file: File) {
    const fileName = file.name;
    try {
      setState({ kind: 'checking', fileName });
      const refusal = await checkBeforeUpload(file, config.maxUploadBytes);
      if (refusal !== undefined) {
        const sizes = file.size > config.maxUploadBytes ? `${formatBytes(file.size)}; the limit is ${formatBytes(config.maxUploadBytes)}` : undefined;
        setState({ kind: 'decided', fileName, outcome: outcomeOfCheck(refusal, sizes) });
        return;
      }
      const permission = await callApi<UploadPermission>(session, `${config.inventoryApi}/uploads`, {
        method: 'POST',
        body: { fileName: fileName.slice(-LONGEST_FILE_NAME), size: file.size },
      });
      setState({ kind: 'uploading', fileName, loaded: 0, total: file.size });
      await postToStorage(permission, file, (loaded, total) => setState({ kind: 'uploading', fileName, loaded, total }));
      setState({ kind: 'waiting', fileName });
      const recordUrl = `${config.inventoryApi}/uploads/${encodeURIComponent(permission.uploadId)}`;
      const result = await pollUntil(
        () => callApi<UploadRecord>(session, recordUrl),
        (record) => record.status !== 'pending',
        DECISION_WAIT,
      );
      if (!result.done) {
        setState({ kind: 'undecided', fileName });
        return;
      }
      const outcome = outcomeOfRecord(result.value);
      setState({ kind: 'decided', fileName, outcome });
      if (outcome.accepted) onWritten();
    } catch (error) {
      // The session-ended alert replaces the whole page; nothing to add here.
      if (error instanceof SessionEndedError) return;
      setState({ kind: 'failed', fileName, message: messageOf(error) });
    } finally {
      // The same file may be chosen again after it was fixed.
      if (input.current !== null) input.current.value = '';
    }
  }

  function chosen(files: FileList | null | undefined) {
    const file = files?.[0];
    if (file !== undefined && !busy) void upload(file);
  }

  return html`
    <section class="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload inventory</h2>
      <div
        class=${`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragEnter=${(event: DragEvent) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver=${(event: DragEvent) => {
          event.preventDefault();
          if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave=${() => setDragging(false)}
        onDrop=${(event: DragEvent) => {
          event.preventDefault();
          setDragging(false);
          chosen(event.dataTransfer?.files);
        }}
      >
        <p>Drop a JSON inventory file here, or choose one.</p>
        <label for="inventory-file">Inventory file</label>
        <input
          id="inventory-file"
          ref=${input}
          type="file"
          accept=".json,application/json"
          disabled=${busy}
          aria-describedby="upload-hint"
          onChange=${(event: Event) => chosen((event.currentTarget as HTMLInputElement).files)}
        />
        <p id="upload-hint" class="hint">
          A JSON array of products (productId, name, quantity, price), at most ${formatBytes(config.maxUploadBytes)}.
          It is checked here first, then the pipeline checks it again and writes it.
        </p>
      </div>
      ${state.kind === 'uploading' || state.kind === 'waiting' || (state.kind === 'decided' && state.outcome.decidedBy === 'pipeline')
        ? html`<${UploadProgress} state=${state} />`
        : null}
      <div role="status" class="upload-status">
        <${StatusText} state=${state} />
      </div>
      ${state.kind === 'failed' ? html`<p role="alert" class="error">${`Upload of ${state.fileName} failed: ${state.message}`}</p>` : null}
      ${state.kind === 'decided' ? html`<${OutcomeDetails} outcome=${state.outcome} />` : null}
    </section>
  `;
}

function UploadProgress({ state }: { state: UploadState }) {
  // Percent, on a fixed max: preact would skip a value equal to the old one clamped to a new max.
  const percent = state.kind === 'uploading' ? Math.floor((state.loaded / Math.max(state.total, 1)) * 100) : 100;
  return html`
    <div class="progress">
      <span id="upload-progress-label">Upload progress</span>
      <progress aria-labelledby="upload-progress-label" max="100" value=${percent}>${percent}%</progress>
    </div>
  `;
}

function StatusText({ state }: { state: UploadState }) {
  switch (state.kind) {
    case 'idle':
      return null;
    case 'checking':
      return html`<p>Checking ${state.fileName}...</p>`;
    case 'uploading':
      return html`<p>Sending ${state.fileName}: ${formatBytes(state.loaded)} of ${formatBytes(state.total)}.</p>`;
    case 'waiting':
      return html`<p>${state.fileName} is uploaded. Waiting for the pipeline to check and write it...</p>`;
    case 'decided':
      return html`<p class=${state.outcome.accepted ? 'accepted' : 'rejected'}>
        <strong>${state.outcome.headline}</strong> <span class="file-name">${state.fileName}</span>
      </p>`;
    case 'undecided':
      return html`<p class="rejected">
        ${state.fileName} was uploaded, but the pipeline has not decided after
        ${DECISION_WAIT.deadlineMs / 60000} minutes. It may still finish: look in the Inventory table
        later, or ask whoever runs the pipeline.
      </p>`;
    case 'failed':
      return html`<p>${state.fileName} was not uploaded.</p>`;
  }
}

function OutcomeDetails({ outcome }: { outcome: UploadOutcome }) {
  if (outcome.accepted) return null;
  return html`
    ${outcome.note === undefined ? null : html`<p class="hint">${outcome.note}</p>`}
    <${ProblemsTable} rows=${outcome.rows} />
  `;
}

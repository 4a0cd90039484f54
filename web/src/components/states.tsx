/** Loading, empty and error states, shared by every screen so they look and sound the same. */
import type { ComponentChildren } from 'preact';
import { plainMessage } from '../api/api-error.js';
import { useLocale, useT } from '../i18n/i18n.js';
import * as messages from './messages.js';

export function Loading(props: { label?: string }) {
  const t = useT(messages);
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{props.label ?? t('loading')}</span>
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{props.title}</p>
      {props.children && <div class="state-text">{props.children}</div>}
      {props.action && <div class="state-action">{props.action}</div>}
    </div>
  );
}

/** An error in plain words, with a way to try again when there is one. */
export function ErrorNotice(props: { error: unknown; onRetry?: () => void }) {
  const { locale } = useLocale();
  const t = useT(messages);
  return (
    <div class="notice notice-error" role="alert">
      <p>{plainMessage(props.error, locale)}</p>
      {props.onRetry && (
        <button type="button" class="button-secondary" onClick={props.onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** A labelled progress bar; without a total it shows activity only. */
export function Progress(props: { label: string; value?: number; max?: number; detail?: string }) {
  return (
    <div class="progress" role="group" aria-label={props.label}>
      <div class="progress-label">
        <span>{props.label}</span>
        {props.detail && <span class="progress-detail">{props.detail}</span>}
      </div>
      {props.max ? (
        <progress value={props.value ?? 0} max={props.max} aria-label={props.label} />
      ) : (
        <progress aria-label={props.label} />
      )}
    </div>
  );
}

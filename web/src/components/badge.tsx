/** A status in words with its colour (the word carries the meaning, the colour only helps). */
export function StatusBadge(props: { tone: 'ok' | 'warn' | 'bad' | 'info'; label: string }) {
  const cls =
    props.tone === 'ok'
      ? 'badge-ok'
      : props.tone === 'bad'
        ? 'badge-bad'
        : props.tone === 'warn'
          ? 'badge-warn'
          : 'badge-info';
  return <span class={`badge ${cls}`}>{props.label}</span>;
}

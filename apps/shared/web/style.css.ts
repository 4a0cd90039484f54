/** The built-in apps' shared look, injected once per page (the frame's CSP allows inline styles). */
export const baseStyle = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; background: #fff; }
body { margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 12px; }
h2 { font-size: 1.15rem; margin: 24px 0 8px; }
section { border-top: 1px solid #d8dde6; padding-top: 4px; }
p.note { color: #4a5568; font-size: 0.9rem; }
.error { color: #a11; }
.chart { width: 100%; height: 200px; display: block; }
.bar { fill: #3b6ea8; } .bar.hl { fill: #c2571a; }
.tick { font-size: 10px; fill: #4a5568; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e8ee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.tabs { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
.tabs button { font: inherit; padding: 6px 12px; border: 1px solid #3b6ea8; background: #fff; color: #1f4f85; border-radius: 4px; cursor: pointer; }
.tabs button[aria-pressed="true"] { background: #1f4f85; color: #fff; }
.ok { color: #1d6b35; } .gap { color: #a11; font-weight: 600; }
.scroll { overflow-x: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 8px; }
.card { border: 1px solid #d8dde6; border-radius: 6px; padding: 8px 12px; }
.card strong { display: block; font-size: 1.3rem; }
`;

export function injectStyle(css: string): void {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}

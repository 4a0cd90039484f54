/**
 * Just enough HTML reading to fill in a holder's login and consent forms: the forms of a page,
 * with their action, method, fields and submit buttons. Pages are the holder's own, so the
 * markup is ordinary; anything unusual simply yields no form and the check says so.
 */
export interface HtmlForm {
  /** Absolute URL the form posts to. */
  action: string;
  method: string;
  /** Named inputs (hidden, text, password...) with their initial values. */
  fields: { name: string; type: string; value: string }[];
  /** Named submit buttons. */
  buttons: { name: string; value: string }[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inner = tag.replace(/^<\s*[a-z]+/i, '').replace(/\/?>$/, '');
  for (const m of inner.matchAll(/([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

export function parseForms(html: string, pageUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form\s*>/gi)) {
    const attrs = attributes(m[1]!);
    const form: HtmlForm = {
      action: new URL(attrs.action || pageUrl, pageUrl).href,
      method: (attrs.method || 'get').toLowerCase(),
      fields: [],
      buttons: [],
    };
    for (const t of m[2]!.matchAll(/<(input|button)\b[^>]*>/gi)) {
      const a = attributes(t[0]);
      if (!a.name) continue;
      const type = (a.type || (t[1]!.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
      if (type === 'submit') form.buttons.push({ name: a.name, value: a.value ?? '' });
      else form.fields.push({ name: a.name, type, value: a.value ?? '' });
    }
    forms.push(form);
  }
  return forms;
}

/** The page's visible text, for "does the consent page name this doctype". */
export function pageText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' '),
  );
}

/** Markup that is already safe: built by `html`, never from outside text. */
export interface SafeHtml {
  readonly html: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Piece = SafeHtml | string | number | null | undefined | false | readonly Piece[];

function render(piece: Piece): string {
  if (piece === null || piece === undefined || piece === false) return '';
  if (Array.isArray(piece)) return piece.map(render).join('');
  if (typeof piece === 'object' && 'html' in piece) return piece.html;
  return escapeHtml(String(piece));
}

/** A template whose every interpolated value is escaped unless it is SafeHtml: job ids, descriptions and output are hostile. */
export function html(strings: TemplateStringsArray, ...values: Piece[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => (out += render(value) + strings[i + 1]!));
  return { html: out };
}

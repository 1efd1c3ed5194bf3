/**
 * The one escaping function of the HTML output (src/format/html.ts): every
 * value that comes from a claim or a rule file goes through it before it is put
 * in a page, in text or in a quoted attribute. A hospital named `<script>` is
 * then shown as the text "<script>".
 */
const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in HTML content and in a quoted attribute value. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
